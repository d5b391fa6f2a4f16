using System.Globalization;
using System.Text.Json;
using Metrics.Core.Events;
using Metrics.Core.Ports;
using Metrics.Sources.Common;

namespace Metrics.Sources.LowCode;

/// <summary>One n8n workflow as far as the KPIs need it.</summary>
public sealed record N8nWorkflowInfo(string Id, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt, string? ProjectId, string? AiNode, string? SharedOwner);

/// <summary>
/// Maps n8n workflows and executions to canonical events. Executions carry no user: the person is the owner of the
/// workflow's owning project, which <see cref="N8nSource"/> resolves and passes in.
/// </summary>
public sealed class N8nMapper(LowCodeOptions options)
{
    public const string SourceName = "lowcode";

    public const string PersonalOwnerRole = "project:personalOwner";

    public const string AdminRole = "project:admin";

    /// <summary>Reads one workflow; null (and a bad item) when it is malformed or has no id or creation time.</summary>
    public N8nWorkflowInfo? Workflow(JsonElement raw, PageBuilder page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var w = Paging.Item<N8nWorkflow>(raw, page, "malformed workflow");
        if (w is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(w.Id) || w.CreatedAt is not { } created)
        {
            page.Bad(w.Id ?? "?", "workflow without id or createdAt");
            return null;
        }

        var share = w.Shared?.FirstOrDefault(s => s.Role == "workflow:owner");
        var projectId = share?.ProjectId ?? share?.Project?.Id;
        return new N8nWorkflowInfo(w.Id, created, w.UpdatedAt, projectId, AiNode(w, options), PersonalOwner(share?.Project));
    }

    /// <summary>The events of an AI workflow inside the window: its creation and (once a day) its latest save.</summary>
    public void WorkflowEvents(N8nWorkflowInfo w, string? person, DateTimeOffset from, DateTimeOffset to, PageBuilder page)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (w.CreatedAt >= from && w.CreatedAt <= to)
        {
            Emit(page, $"wf-{w.Id}-created", EventType.PrototypeCreated, w.CreatedAt, person, w.Id, null, w.ProjectId);
        }

        if (options.CountBuilds && w.UpdatedAt is { } built && built >= from && built <= to)
        {
            var day = built.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            Emit(page, $"wf-{w.Id}-built-{day}", EventType.AiUsed, built, person, null, w.AiNode, w.ProjectId);
        }
    }

    /// <summary>Reads one execution; null when it is malformed (a bad item) or queued and not started yet (ignored).</summary>
    public N8nExecution? Execution(JsonElement raw, PageBuilder page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var execution = Paging.Item<N8nExecution>(raw, page, "malformed execution");
        if (execution is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(execution.Id))
        {
            page.Bad("?", "execution without id");
            return null;
        }

        if (execution.StartedAt is null)
        {
            // Queued (status "new"): it gets a start time when it runs, above the checkpoint, and a later pull reads it.
            page.Ignore("execution not started yet");
            return null;
        }

        return execution;
    }

    /// <summary>The <c>ai.used</c> of one started execution of a listed workflow.</summary>
    public void ExecutionEvent(N8nExecution execution, N8nWorkflowInfo? workflow, string? person, PageBuilder page)
    {
        ArgumentNullException.ThrowIfNull(execution);
        if (workflow is null)
        {
            page.Ignore("workflow not listed (deleted or not shared with the key)");
        }
        else if (workflow.AiNode is null)
        {
            page.Ignore("workflow has no AI node");
        }
        else
        {
            Emit(page, "exec-" + execution.Id, EventType.AiUsed, execution.StartedAt!.Value, person, null, workflow.AiNode, workflow.ProjectId);
        }
    }

    /// <summary>The person behind a project from its members: the personal project's owner, else its single admin.</summary>
    public static string? Owner(IReadOnlyList<N8nProjectMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var owner = members.FirstOrDefault(m => m.Role == PersonalOwnerRole)
            ?? (members.Count(m => m.Role == AdminRole) == 1 ? members.First(m => m.Role == AdminRole) : null);
        return Identities.Email(owner?.Email);
    }

    /// <summary>The e-mail in a personal project's name (<c>First Last &lt;email&gt;</c>), or null.</summary>
    public static string? PersonalOwner(N8nProject? project)
    {
        if (project is not { Type: "personal", Name: { } name })
        {
            return null;
        }

        var open = name.LastIndexOf('<');
        var close = name.LastIndexOf('>');
        return open >= 0 && close > open ? Identities.Email(name[(open + 1)..close]) : null;
    }

    /// <summary>The first enabled AI node type of a workflow, or null when it has none.</summary>
    public static string? AiNode(N8nWorkflow workflow, LowCodeOptions o)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(o);
        foreach (var node in workflow.Nodes ?? [])
        {
            if (node.Type is not { } type || node.Disabled == true)
            {
                continue;
            }

            if (o.AiNodeTypes.Contains(type, StringComparer.Ordinal) || o.AiNodeTypePrefixes.Any(p => type.StartsWith(p, StringComparison.Ordinal)))
            {
                return type;
            }
        }

        return null;
    }

    private static void Emit(PageBuilder page, string id, EventType type, DateTimeOffset time, string? person, string? subject, string? tool, string? projectId)
    {
        if (person is null)
        {
            page.Bad(id, projectId is null ? "workflow without an owning project" : "owning project has no single owner with an e-mail");
            return;
        }

        page.Add(id, type, time, person, subject, tool: tool);
    }
}
