using System.Net;
using System.Text.Json;
using Metrics.Core.Ports;
using Metrics.Sources.Common;
using Refit;

namespace Metrics.Sources.Directory;

/// <summary>
/// Reads users with a Graph delta query. The first run enumerates everyone; later runs follow the stored delta link
/// and merge the changes into the users kept in the journal state, so every run still yields a full snapshot.
/// </summary>
public sealed class GraphDirectory(IGraphApi graph, IGraphTokenApi tokens, EntraTokenCache tokenCache)
{
    /// <summary>The name its round state is kept under in the journal.</summary>
    public const string StateName = "graph";

    public const string Select = "id,mail,userPrincipalName,department,jobTitle,employeeId,accountEnabled";

    public const string Expand = "manager($select=id)";

    /// <summary>Pulls the changes since the stored delta link and returns the merged state (not yet saved).</summary>
    public async Task<GraphDirectoryState> PullAsync(DirectoryOptions options, IEventJournal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(journal);
        var state = await new JournalState(journal).GetDirectoryStateAsync<GraphDirectoryState>(StateName, SourceJson.Options, cancellationToken) ?? new GraphDirectoryState();
        var authorization = "Bearer " + await TokenAsync(options, cancellationToken);
        try
        {
            return await RoundAsync(options, state, authorization, cancellationToken);
        }
        catch (SourcePageException ex) when (state.DeltaLink is not null && IsExpiredDelta(ex))
        {
            // The delta token expired: start over with a full enumeration.
            return await RoundAsync(options, new GraphDirectoryState(), authorization, cancellationToken);
        }
    }

    public static async Task SaveAsync(IEventJournal journal, GraphDirectoryState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        await new JournalState(journal).SetDirectoryStateAsync(StateName, state, SourceJson.Options, cancellationToken);
    }

    private Task<string> TokenAsync(DirectoryOptions o, CancellationToken cancellationToken) =>
        tokenCache.GetAsync(tokens, o.TokenEndpoint!, o.ClientId!, o.ClientSecret!, o.Scope, cancellationToken);

    /// <summary>
    /// Whether a failed delta round means the token is gone and a full enumeration must start over. Graph answers an
    /// expired token of directory resources with 400 <c>syncStateNotFound</c> (delta links of users live seven days) and
    /// other lost sync states with 410 Gone (<c>resyncRequired</c>, <c>syncStateInvalid</c>).
    /// </summary>
    public static bool IsExpiredDelta(SourcePageException exception) => ApiCalls.StatusOf(exception) switch
    {
        HttpStatusCode.Gone => true,
        HttpStatusCode.BadRequest => ErrorCode(exception) is { } code && ExpiredCodes.Contains(code),
        _ => false,
    };

    private static readonly HashSet<string> ExpiredCodes = new(StringComparer.OrdinalIgnoreCase) { "syncStateNotFound", "syncStateInvalid", "resyncRequired" };

    private static string? ErrorCode(SourcePageException exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is ApiException { Content: { Length: > 0 } body })
            {
                try
                {
                    return JsonSerializer.Deserialize<GraphErrorBody>(body, SourceJson.Options)?.Error?.Code;
                }
                catch (JsonException)
                {
                    return null;
                }
            }
        }

        return null;
    }

    private async Task<GraphDirectoryState> RoundAsync(DirectoryOptions o, GraphDirectoryState state, string authorization, CancellationToken cancellationToken)
    {
        var origin = o.BaseUrl!;
        await foreach (var page in Paging.ReadAsync("users delta", GraphPage.Shape(origin), o.MaxItemsPerPage,
            (link, ct) => graph.GetUsersAsync(link!, authorization, ct), cancellationToken, state.DeltaLink ?? DeltaUrl(origin)))
        {
            foreach (var user in page.Items)
            {
                Merge(state, user);
            }

            if (page.Next is null)
            {
                state.DeltaLink = string.IsNullOrEmpty(page.Body.DeltaLink) ? null : CheckLink(page.Body.DeltaLink, origin, page.What);
            }
        }

        return state;
    }

    /// <summary>The first round of a delta query: every user, ending with an <c>@odata.deltaLink</c> for later changes.</summary>
    public static string DeltaUrl(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return baseUrl.AbsoluteUri.TrimEnd('/') + "/v1.0/users/delta?$select=" + Select + "&$expand=" + Expand;
    }

    public static string CheckLink(string link, Uri origin, string what) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && SourceHttp.IsSameOrigin(uri, origin)
            ? link
            : throw new SourcePageException($"{what}: paging link does not point at the configured Graph origin");

    /// <summary>Applies one delta item: removed users go; present properties overwrite; absent ones are kept.</summary>
    public static void Merge(GraphDirectoryState state, JsonElement user)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (user.ValueKind != JsonValueKind.Object || !user.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String)
        {
            return;
        }

        var id = idElement.GetString()!;
        if (user.TryGetProperty("@removed", out _))
        {
            state.Users.Remove(id);
            return;
        }

        if (!state.Users.TryGetValue(id, out var u))
        {
            u = new GraphUserState();
            state.Users[id] = u;
        }

        static bool Text(JsonElement user, string name, out string? value)
        {
            value = null;
            if (!user.TryGetProperty(name, out var e))
            {
                return false;
            }

            value = e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            return true;
        }

        if (Text(user, "mail", out var mail))
        {
            u.Mail = mail;
        }

        if (Text(user, "userPrincipalName", out var upn))
        {
            u.UserPrincipalName = upn;
        }

        if (Text(user, "department", out var department))
        {
            u.Department = department;
        }

        if (Text(user, "jobTitle", out var title))
        {
            u.JobTitle = title;
        }

        if (Text(user, "employeeId", out var employeeId))
        {
            u.EmployeeId = employeeId;
        }

        if (user.TryGetProperty("accountEnabled", out var enabled) && enabled.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            u.AccountEnabled = enabled.GetBoolean();
        }

        if (user.TryGetProperty("manager", out var manager))
        {
            u.ManagerId = manager.ValueKind == JsonValueKind.Object && manager.TryGetProperty("id", out var m) ? m.GetString() : null;
        }
        else if (user.TryGetProperty("manager@delta", out var managerDelta) && managerDelta.ValueKind == JsonValueKind.Array)
        {
            u.ManagerId = managerDelta.EnumerateArray()
                .Where(x => !x.TryGetProperty("@removed", out _) && x.TryGetProperty("id", out _))
                .Select(x => x.GetProperty("id").GetString())
                .FirstOrDefault();
        }
    }
}
