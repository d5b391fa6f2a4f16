using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Metrics.Core.Ports;
using Metrics.Sources.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Metrics.Sources.LowCode;

/// <summary>
/// Reads n8n workflows (to know which are AI workflows and who owns them) and then executions, newest first, until one
/// started before the checkpoint minus the overlap. The scan's position is stored after every page (an
/// <see cref="N8nCheckpoint"/>), so a run that dies halfway, or ends under a 429/503 storm, resumes where it stopped
/// instead of starting over; only a finished scan moves <see cref="N8nCheckpoint.Through"/>.
/// </summary>
public sealed partial class N8nSource(IN8nApi api, IOptions<LowCodeOptions> options, TimeProvider clock, ILogger<N8nSource> logger) : IEventSource
{
    private readonly IN8nApi _api = api;
    private readonly ILogger _logger = logger;

    public const string SourceName = N8nMapper.SourceName;

    public string Name => SourceName;

    public bool Enabled => options.Value.Enabled;

    public TimeSpan Interval => options.Value.Interval;

    public async IAsyncEnumerable<SourcePage> PullAsync(string? checkpoint, PullWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var o = options.Value;
        var mapper = new N8nMapper(o);
        var now = clock.GetUtcNow();
        var state = ReadCheckpoint(checkpoint);
        var to = window.To ?? DateTimeOffset.MaxValue;

        var workflowPage = new PageBuilder(SourceName);
        var workflows = new Dictionary<string, N8nWorkflowInfo>(StringComparer.Ordinal);
        await foreach (var page in Paging.ReadAsync("workflows", N8nPage.Shape, o.MaxItemsPerPage,
            (cursor, ct) => _api.GetWorkflowsAsync(o.PageSize, cursor, true, ct), cancellationToken))
        {
            workflowPage.ItemCount += page.Items.Count;
            foreach (var raw in page.Items)
            {
                if (mapper.Workflow(raw, workflowPage) is { } w)
                {
                    workflows[w.Id] = w;
                }
            }
        }

        var owners = new Owners(this, o, workflows, workflowPage, window.IsBackfill ? null : state.Owners);
        var workflowFrom = window.From ?? Start(state.Through, o, now);
        ExceptionDispatchInfo? failed = null;
        try
        {
            foreach (var w in workflows.Values.Where(w => w.AiNode is not null))
            {
                if ((w.CreatedAt >= workflowFrom && w.CreatedAt <= to) || (w.UpdatedAt is { } u && u >= workflowFrom && u <= to))
                {
                    mapper.WorkflowEvents(w, await owners.OfAsync(w.ProjectId, cancellationToken), workflowFrom, to, workflowPage);
                }
            }
        }
        catch (SourcePageException ex) when (!window.IsBackfill)
        {
            failed = ExceptionDispatchInfo.Capture(ex);
        }

        if (failed is not null)
        {
            // Every project asks for its owner before the first event is stored; under a storm a run may end on any of
            // those requests, so what this run learned is kept for the next one instead of starting over.
            yield return OwnersLearned(state, owners);
            failed.Throw();
        }

        yield return workflowPage.Build(null);

        if (window.IsBackfill)
        {
            await foreach (var page in ScanAsync(mapper, workflows, owners, null, window.From ?? Start(null, o, now), to, state, backfill: true, cancellationToken))
            {
                yield return page;
            }

            yield break;
        }

        if (state.Scan is { } unfinished)
        {
            await foreach (var page in ScanAsync(mapper, workflows, owners, unfinished.Cursor, unfinished.Floor, to, state, backfill: false, cancellationToken, unfinished.Top))
            {
                yield return page;
            }
        }

        await foreach (var page in ScanAsync(mapper, workflows, owners, null, Start(state.Through, o, now), to, state, backfill: false, cancellationToken))
        {
            yield return page;
        }
    }

    /// <summary>
    /// One newest-first scan from <paramref name="cursor"/> down to <paramref name="floor"/>. <paramref name="state"/> is
    /// updated and written into each page's checkpoint: the cursor of the next page while the scan runs, and the scan's
    /// newest start as <see cref="N8nCheckpoint.Through"/> once it reaches the floor or the end of the list.
    /// </summary>
    private async IAsyncEnumerable<SourcePage> ScanAsync(
        N8nMapper mapper,
        Dictionary<string, N8nWorkflowInfo> workflows,
        Owners owners,
        string? cursor,
        DateTimeOffset floor,
        DateTimeOffset to,
        N8nCheckpoint state,
        bool backfill,
        [EnumeratorCancellation] CancellationToken cancellationToken,
        DateTimeOffset? top = null)
    {
        var o = options.Value;
        ExceptionDispatchInfo? failed = null;
        await foreach (var read in Paging.ReadAsync("executions", N8nPage.Shape, o.MaxItemsPerPage,
            (c, ct) => _api.GetExecutionsAsync(o.PageSize, c, false, ct), cancellationToken, cursor))
        {
            var page = new PageBuilder(SourceName) { ItemCount = read.Items.Count };
            var reachedFloor = false;
            foreach (var raw in read.Items)
            {
                if (mapper.Execution(raw, page) is not { } execution)
                {
                    continue;
                }

                var started = execution.StartedAt!.Value;
                if (started < floor)
                {
                    reachedFloor = true;
                    continue;
                }

                if (top is null || started > top)
                {
                    top = started;
                }

                if (started > to)
                {
                    continue;
                }

                var workflow = execution.WorkflowId is { } id ? workflows.GetValueOrDefault(id) : null;
                string? person = null;
                if (workflow?.AiNode is not null)
                {
                    try
                    {
                        person = await owners.OfAsync(workflow.ProjectId, cancellationToken);
                    }
                    catch (SourcePageException ex) when (!backfill)
                    {
                        failed = ExceptionDispatchInfo.Capture(ex);
                        break;
                    }
                }

                mapper.ExecutionEvent(execution, workflow, person, page);
            }

            if (failed is not null)
            {
                // The page is read again next run from the stored cursor; the owners found so far are not asked again.
                yield return OwnersLearned(state, owners);
                failed.Throw();
            }

            var finished = reachedFloor || read.Next is null;
            if (finished)
            {
                state.Scan = null;
                state.Owners = null;
                if (top is { } newest && (state.Through is null || newest > state.Through))
                {
                    state.Through = newest;
                }
            }
            else
            {
                state.Scan = new N8nScan { Cursor = read.Next!, Floor = floor, Top = top };
            }

            yield return page.Build(backfill ? null : WriteCheckpoint(state));
            if (finished)
            {
                yield break;
            }
        }
    }

    /// <summary>A page with no items whose checkpoint is the position so far plus every owner known: stored before the run ends.</summary>
    private static SourcePage OwnersLearned(N8nCheckpoint state, Owners owners)
    {
        state.Owners = owners.Known();
        return new PageBuilder(SourceName).Build(WriteCheckpoint(state));
    }

    private static DateTimeOffset Start(DateTimeOffset? through, LowCodeOptions o, DateTimeOffset now) =>
        through is { } at ? at - o.Overlap : now - o.InitialLookback;

    /// <summary>Reads the stored checkpoint: the JSON position, or the bare time earlier versions stored.</summary>
    public static N8nCheckpoint ReadCheckpoint(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new N8nCheckpoint();
        }

        if (text.TrimStart().StartsWith('{'))
        {
            try
            {
                return JsonSerializer.Deserialize<N8nCheckpoint>(text, CheckpointJson) ?? new N8nCheckpoint();
            }
            catch (JsonException)
            {
                return new N8nCheckpoint();
            }
        }

        return new N8nCheckpoint { Through = Checkpoints.Parse(text) };
    }

    public static string WriteCheckpoint(N8nCheckpoint state) => JsonSerializer.Serialize(state, CheckpointJson);

    private static readonly JsonSerializerOptions CheckpointJson = new(SourceJson.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// The person behind each project, asked for once per pull: configuration, else the members API (personal owner or
    /// single admin), else, where that endpoint is missing (404) or not licensed (403), the personal project's owner
    /// named on the workflow. The fallback is warned about once and counted on the workflow page.
    /// </summary>
    private sealed class Owners(N8nSource source, LowCodeOptions o, Dictionary<string, N8nWorkflowInfo> workflows, PageBuilder workflowPage, Dictionary<string, string?>? learned)
    {
        private readonly Dictionary<string, string?> _known = learned is null ? new(StringComparer.Ordinal) : new(learned, StringComparer.Ordinal);
        private HttpStatusCode? _membersUnavailable;

        public Dictionary<string, string?> Known() => new(_known, StringComparer.Ordinal);

        public async Task<string?> OfAsync(string? projectId, CancellationToken cancellationToken)
        {
            if (projectId is null)
            {
                return null;
            }

            if (_known.TryGetValue(projectId, out var known))
            {
                return known;
            }

            var owner = o.ProjectPeople.TryGetValue(projectId, out var configured) ? Identities.Email(configured) : null;
            owner ??= _membersUnavailable is null ? await MembersAsync(projectId, cancellationToken) : null;
            owner ??= workflows.Values.FirstOrDefault(w => w.ProjectId == projectId && w.SharedOwner is not null)?.SharedOwner;
            _known[projectId] = owner;
            return owner;
        }

        private async Task<string?> MembersAsync(string projectId, CancellationToken cancellationToken)
        {
            var members = new List<N8nProjectMember>();
            try
            {
                await foreach (var page in Paging.ReadAsync("project members", N8nPage.Shape, o.MaxItemsPerPage,
                    (cursor, ct) => source._api.GetProjectUsersAsync(projectId, o.PageSize, cursor, ct), cancellationToken))
                {
                    foreach (var raw in page.Items)
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
                }
            }
            catch (SourcePageException ex) when (ApiCalls.StatusOf(ex) is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
            {
                var status = (int)ApiCalls.StatusOf(ex)!.Value;
                _membersUnavailable = (HttpStatusCode)status;
                workflowPage.Ignore($"project members not available (HTTP {status}): owners from the workflows' shared data");
                LogMembersUnavailable(source._logger, SourceName, status);
                return null;
            }

            return N8nMapper.Owner(members);
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Source {Source}: GET /projects/{{id}}/users answered HTTP {Status} (missing in this n8n version or not licensed); owners are taken from the workflows' shared personal projects and from Sources:LowCode:ProjectPeople")]
    private static partial void LogMembersUnavailable(ILogger logger, string source, int status);
}
