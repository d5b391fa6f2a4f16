using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Metrics.Core.Events;
using Metrics.Core.Ports;
using Metrics.Sources.Common;
using Microsoft.Extensions.Options;

namespace Metrics.Sources.LowCode;

/// <summary>
/// Reads n8n workflows (to know which are AI workflows and who owns them) and then executions, newest first, until one
/// started before the checkpoint minus the lookback. Executions carry no user: the person is the owner of the
/// workflow's owning project. The checkpoint moves only after the whole newest-first scan is stored, since a partial
/// scan has seen the newest executions but not the older ones below them.
/// </summary>
public sealed class N8nSource(IN8nApi api, IOptions<LowCodeOptions> options, TimeProvider clock) : IEventSource
{
    public const string SourceName = "lowcode";

    public const string PersonalOwnerRole = "project:personalOwner";

    public const string AdminRole = "project:admin";

    public string Name => SourceName;

    public bool Enabled => options.Value.Enabled;

    public TimeSpan Interval => options.Value.Interval;

    public async IAsyncEnumerable<SourcePage> PullAsync(string? checkpoint, PullWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var from = window.From ?? Checkpoints.Start(checkpoint, o, now);
        var to = window.To ?? DateTimeOffset.MaxValue;

        var workflowPage = new PageBuilder(SourceName);
        var workflows = await LoadWorkflowsAsync(o, workflowPage, cancellationToken);
        var owners = await LoadOwnersAsync(o, workflows.Values.Where(w => w.AiNode is not null), cancellationToken);

        foreach (var w in workflows.Values.Where(w => w.AiNode is not null))
        {
            var person = owners.GetValueOrDefault(w.ProjectId ?? string.Empty);
            if (w.CreatedAt >= from && w.CreatedAt <= to)
            {
                Emit(workflowPage, $"wf-{w.Id}-created", EventType.PrototypeCreated, w.CreatedAt, person, w.Id, null, w.ProjectId);
            }

            if (o.CountBuilds && w.UpdatedAt is { } built && built >= from && built <= to)
            {
                var day = built.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                Emit(workflowPage, $"wf-{w.Id}-built-{day}", EventType.AiUsed, built, person, null, w.AiNode, w.ProjectId);
            }
        }

        yield return workflowPage.Build(null);

        var best = Checkpoints.Parse(checkpoint);
        string? cursor = null;
        var pageNumber = 0;
        var reachedOlder = false;
        while (true)
        {
            pageNumber++;
            var what = $"executions page {pageNumber}";
            var pageCursor = cursor;
            using var response = await ApiCalls.SendAsync(() => api.GetExecutionsAsync(o.PageSize, pageCursor, false, cancellationToken), what, cancellationToken);
            var items = Items(response.Content!, o, what);
            var page = new PageBuilder(SourceName) { ItemCount = items.Count };
            foreach (var raw in items)
            {
                var execution = Read<N8nExecution>(raw, page, "malformed execution");
                if (execution is null)
                {
                    continue;
                }

                if (string.IsNullOrWhiteSpace(execution.Id) || execution.StartedAt is not { } started)
                {
                    page.Bad(execution.Id ?? "?", "execution without id or startedAt");
                    continue;
                }

                if (started < from)
                {
                    reachedOlder = true;
                    continue;
                }

                if (best is null || started > best)
                {
                    best = started;
                }

                if (started > to)
                {
                    continue;
                }

                if (execution.WorkflowId is null || !workflows.TryGetValue(execution.WorkflowId, out var workflow))
                {
                    page.Ignore("workflow not listed (deleted or not shared with the key)");
                }
                else if (workflow.AiNode is null)
                {
                    page.Ignore("workflow has no AI node");
                }
                else
                {
                    Emit(page, "exec-" + execution.Id, EventType.AiUsed, started, owners.GetValueOrDefault(workflow.ProjectId ?? string.Empty), null, workflow.AiNode, workflow.ProjectId);
                }
            }

            cursor = string.IsNullOrEmpty(response.Content!.NextCursor) ? null : response.Content.NextCursor;
            var last = reachedOlder || cursor is null;
            if (!last && cursor == pageCursor)
            {
                throw new SourcePageException($"{what} failed: the server repeated its cursor");
            }

            yield return page.Build(last && !window.IsBackfill && best is not null ? Checkpoints.Format(best.Value) : null);
            if (last)
            {
                break;
            }
        }
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

    private sealed record WorkflowInfo(string Id, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt, string? ProjectId, string? AiNode);

    private async Task<Dictionary<string, WorkflowInfo>> LoadWorkflowsAsync(LowCodeOptions o, PageBuilder page, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, WorkflowInfo>(StringComparer.Ordinal);
        string? cursor = null;
        var pageNumber = 0;
        do
        {
            pageNumber++;
            var what = $"workflows page {pageNumber}";
            var pageCursor = cursor;
            using var response = await ApiCalls.SendAsync(() => api.GetWorkflowsAsync(o.PageSize, pageCursor, true, cancellationToken), what, cancellationToken);
            var items = Items(response.Content!, o, what);
            page.ItemCount += items.Count;
            foreach (var raw in items)
            {
                var w = Read<N8nWorkflow>(raw, page, "malformed workflow");
                if (w is null)
                {
                    continue;
                }

                if (string.IsNullOrWhiteSpace(w.Id) || w.CreatedAt is not { } created)
                {
                    page.Bad(w.Id ?? "?", "workflow without id or createdAt");
                    continue;
                }

                var owner = w.Shared?.FirstOrDefault(s => s.Role == "workflow:owner")?.ProjectId;
                result[w.Id] = new WorkflowInfo(w.Id, created, w.UpdatedAt, owner, AiNode(w, o));
            }

            cursor = string.IsNullOrEmpty(response.Content!.NextCursor) ? null : response.Content.NextCursor;
            if (cursor is not null && cursor == pageCursor)
            {
                throw new SourcePageException($"{what} failed: the server repeated its cursor");
            }
        }
        while (cursor is not null);
        return result;
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

    /// <summary>The person behind each project: the personal project's owner, else the single admin, else configuration.</summary>
    private async Task<Dictionary<string, string>> LoadOwnersAsync(LowCodeOptions o, IEnumerable<WorkflowInfo> aiWorkflows, CancellationToken cancellationToken)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var projectId in aiWorkflows.Select(w => w.ProjectId).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (o.ProjectPeople.TryGetValue(projectId, out var configured) && Identities.Email(configured) is { } email)
            {
                owners[projectId] = email;
                continue;
            }

            var members = new List<N8nProjectMember>();
            string? cursor = null;
            var pageNumber = 0;
            do
            {
                pageNumber++;
                var what = $"project members page {pageNumber}";
                var pageCursor = cursor;
                using var response = await ApiCalls.SendAsync(() => api.GetProjectUsersAsync(projectId, o.PageSize, pageCursor, cancellationToken), what, cancellationToken);
                foreach (var raw in Items(response.Content!, o, what))
                {
                    try
                    {
                        members.Add(SourceJson.Item<N8nProjectMember>(raw));
                    }
                    catch (JsonException)
                    {
                        // A malformed member cannot be the owner; the project then falls back to configuration.
                    }
                }

                cursor = string.IsNullOrEmpty(response.Content!.NextCursor) || response.Content.NextCursor == pageCursor ? null : response.Content.NextCursor;
            }
            while (cursor is not null);

            var owner = members.FirstOrDefault(m => m.Role == PersonalOwnerRole)
                ?? (members.Count(m => m.Role == AdminRole) == 1 ? members.First(m => m.Role == AdminRole) : null);
            if (Identities.Email(owner?.Email) is { } ownerEmail)
            {
                owners[projectId] = ownerEmail;
            }
        }

        return owners;
    }

    private static List<JsonElement> Items(N8nPage body, LowCodeOptions o, string what)
    {
        var items = body.Data ?? throw new SourcePageException($"{what} failed: no data array");
        return items.Count > o.MaxItemsPerPage
            ? throw new SourcePageException($"{what} failed: {items.Count} items exceed MaxItemsPerPage {o.MaxItemsPerPage}")
            : items;
    }

    private static T? Read<T>(JsonElement raw, PageBuilder page, string reason)
        where T : class
    {
        try
        {
            return SourceJson.Item<T>(raw);
        }
        catch (JsonException)
        {
            var id = raw.ValueKind == JsonValueKind.Object && raw.TryGetProperty("id", out var e) && e.ValueKind is JsonValueKind.String or JsonValueKind.Number
                ? e.ToString() : "?";
            page.Bad(id, reason);
            return null;
        }
    }
}
