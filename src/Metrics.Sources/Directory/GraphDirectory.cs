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
public sealed class GraphDirectory(IGraphApi graph, IGraphTokenApi tokens)
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
        catch (SourcePageException ex) when (state.DeltaLink is not null && ex.InnerException is ApiException { StatusCode: HttpStatusCode.Gone })
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

    private async Task<string> TokenAsync(DirectoryOptions o, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = o.ClientId!,
            ["client_secret"] = o.ClientSecret!,
            ["scope"] = o.Scope,
        };
        using var response = await ApiCalls.SendAsync(() => tokens.GetTokenAsync(o.TokenEndpoint!.AbsoluteUri, form, cancellationToken), "token request", cancellationToken);
        return string.IsNullOrWhiteSpace(response.Content!.AccessToken)
            ? throw new SourcePageException("token request failed: no access_token in the response")
            : response.Content.AccessToken;
    }

    private async Task<GraphDirectoryState> RoundAsync(DirectoryOptions o, GraphDirectoryState state, string authorization, CancellationToken cancellationToken)
    {
        var origin = o.BaseUrl!;
        var link = state.DeltaLink ?? DeltaUrl(origin);
        var pageNumber = 0;
        while (true)
        {
            pageNumber++;
            var what = $"users delta page {pageNumber}";
            var current = link;
            using var response = await ApiCalls.SendAsync(() => graph.GetUsersAsync(current, authorization, cancellationToken), what, cancellationToken);
            var body = response.Content!;
            var users = body.Value ?? throw new SourcePageException($"{what} failed: no value array");
            if (users.Count > o.MaxItemsPerPage)
            {
                throw new SourcePageException($"{what} failed: {users.Count} users exceed MaxItemsPerPage {o.MaxItemsPerPage}");
            }

            foreach (var user in users)
            {
                Merge(state, user);
            }

            if (!string.IsNullOrEmpty(body.NextLink))
            {
                link = CheckLink(body.NextLink, origin, what);
                continue;
            }

            state.DeltaLink = string.IsNullOrEmpty(body.DeltaLink) ? null : CheckLink(body.DeltaLink, origin, what);
            return state;
        }
    }

    /// <summary>The first round of a delta query: every user, ending with an <c>@odata.deltaLink</c> for later changes.</summary>
    public static string DeltaUrl(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return baseUrl.AbsoluteUri.TrimEnd('/') + "/v1.0/users/delta?$select=" + Select + "&$expand=" + Expand;
    }

    private static string CheckLink(string link, Uri origin, string what) =>
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
