using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Metrics.Simulator.Hosting;
using Metrics.Sources.GitHubCopilot;
using Metrics.Sources.Lms;
using Metrics.Sources.LowCode;
using Metrics.Sources.M365Copilot;
using Metrics.Sources.Ticketing;
using Metrics.Testing.Vendors;

namespace Metrics.Simulator.Tests;

/// <summary>
/// The simulator serves the recorded wire formats: for every vendor, the items of its pages (as the connectors ask for
/// them) have only properties the recorded pages (tests/vendor-pages, built from the vendors' published examples) have,
/// with the same JSON types, and every recorded property the connector's DTOs read. A property the examples do not
/// show is allowed only where it is listed below with the documentation that defines it.
/// </summary>
public sealed class RecordedShapeTests : SimulatorHttpTests
{
    [Fact]
    public async Task Statements_ServedStatements_HaveTheRecordedXapiShape()
    {
        using var request = SimulatorRequests.Lrs(Credentials, "lrs/xapi/statements?ascending=true&limit=500");
        var served = await ItemsAsync(request, "statements");

        AssertShape(served, Recorded("xapi", "statements", "statements.json", "voiding.json"), typeof(XapiStatement),
            // xAPI Data §2.4.2.1/§2.4.2.3: an Agent is identified by one IFI (the recorded Group members show account,
            // openid and mbox_sha1sum, the actor mbox); §2.4.6.2: contextActivities parent/grouping hold Activity
            // objects, which may carry a definition (§2.4.4.1).
            "actor.account", "actor.member[]", "context.contextActivities.parent[].definition", "context.contextActivities.grouping[]");
    }

    [Fact]
    public async Task N8n_ServedWorkflowsExecutionsAndMembers_HaveTheRecordedShapes()
    {
        var workflows = await ItemsAsync(N8n("n8n/api/v1/workflows?excludePinnedData=true&limit=250"), "data");
        var executions = await ItemsAsync(N8n("n8n/api/v1/executions?includeData=false&limit=250"), "data");
        var project = workflows.Select(w => w.GetProperty("shared")[0].GetProperty("projectId").GetString()).First();
        var members = await ItemsAsync(N8n($"n8n/api/v1/projects/{project}/users?limit=250"), "data");

        AssertShape(workflows, Recorded("n8n", "data", "workflows.json"), typeof(Metrics.Sources.LowCode.N8nWorkflow));
        AssertShape(executions, Recorded("n8n", "data", "executions.page1.json", "executions.page2.json"), typeof(Metrics.Sources.LowCode.N8nExecution));
        AssertShape(members, Recorded("n8n", "data", "project-users.json"), typeof(N8nProjectMember));
    }

    [Fact]
    public async Task Jira_ServedIssues_HaveTheRecordedSearchShape()
    {
        var jql = Uri.EscapeDataString("project in (AIP, OPS, PRJ) ORDER BY updated ASC, id ASC");
        var fields = "issuetype,labels,reporter,assignee,created,updated,resolution,resolutiondate,status,parent,issuelinks";
        using var request = SimulatorRequests.Jira(Credentials, $"jira/rest/api/3/search/jql?jql={jql}&fields={fields}&maxResults=100");
        var served = await ItemsAsync(request, "issues");

        AssertShape(served, Recorded("jira", "issues", "search.page1.json", "search.page2.json"), typeof(Metrics.Sources.Ticketing.JiraIssue),
            // The swagger's IssueTypeDetails (hierarchyLevel), the parent a child issue embeds (id, key, self, fields with
            // summary, status, priority, issuetype) and IssueLink (id, type, inwardIssue/outwardIssue): the recorded
            // issues are epics without parent or links.
            "fields.issuetype.hierarchyLevel", "fields.parent.", "fields.issuelinks[].");
    }

    [Fact]
    public async Task Graph_ServedUsersDelta_HasTheRecordedShape()
    {
        var tokenJson = await SimulatorRequests.GraphTokenAsync(Http, Credentials);
        AssertShape([tokenJson], [JsonDocument.Parse(VendorPages.Read("graph", "token.json")).RootElement.Clone()], typeof(Metrics.Sources.Directory.TokenResponse));
        using var request = new HttpRequestMessage(HttpMethod.Get, "graph/v1.0/users/delta?$select=" + Metrics.Sources.Directory.GraphDirectory.Select + "&$expand=" + Metrics.Sources.Directory.GraphDirectory.Expand);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokenJson.GetProperty("access_token").GetString());
        var served = await ItemsAsync(request, "value");

        AssertShape(served, Recorded("graph", "value", "users-delta.page1.json", "users-delta.page2.json"), typeof(Metrics.Sources.Directory.GraphUserState),
            // user: delta with $expand: the expanded manager also comes as a manager@delta list (directoryObject references).
            "@odata.type", "manager@delta");
    }

    [Fact]
    public async Task Copilot_ServedUsageRowsAndSeats_HaveTheRecordedShapes()
    {
        var accessToken = (await SimulatorRequests.GraphTokenAsync(Http, Credentials)).GetProperty("access_token").GetString();
        using var usage = new HttpRequestMessage(HttpMethod.Get, "graph/beta/reports/getMicrosoft365CopilotUsageUserDetail(period='D30')?$format=application/json");
        usage.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var seats = new HttpRequestMessage(HttpMethod.Get, "github/orgs/acme/copilot/billing/seats?per_page=100");
        seats.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Credentials.GitHubToken);
        seats.Headers.Add("X-GitHub-Api-Version", "2022-11-28");

        AssertShape(await ItemsAsync(usage, "value"), Recorded("m365copilot", "value", "usage.concealed.json", "usage.page1.json", "usage.page2.json"), typeof(M365CopilotUsageRow));
        AssertShape(await ItemsAsync(seats, "seats"), Recorded("githubcopilot", "seats", "seats.page1.json", "seats.page2.json"), typeof(GitHubSeat));
    }

    private HttpRequestMessage N8n(string url) => SimulatorRequests.N8n(Credentials, url);

    private async Task<List<JsonElement>> ItemsAsync(HttpRequestMessage request, string array)
    {
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{request.RequestUri}: {(int)response.StatusCode} {text}");
        var items = JsonDocument.Parse(text).RootElement.GetProperty(array).EnumerateArray().Select(e => e.Clone()).ToList();
        Assert.NotEmpty(items);
        return items;
    }

    private static List<JsonElement> Recorded(string vendor, string array, params string[] files) =>
        [.. files.SelectMany(f => JsonDocument.Parse(VendorPages.Read(vendor, f)).RootElement.GetProperty(array).EnumerateArray().Select(e => e.Clone()))];

    /// <summary>
    /// Every served path is a recorded path (or under a listed extra) with a JSON type the recorded pages show there,
    /// and every recorded path the DTO reads is served.
    /// </summary>
    private static void AssertShape(List<JsonElement> served, List<JsonElement> recorded, Type dto, params string[] extras)
    {
        var servedShape = Shape(served);
        var recordedShape = Shape(recorded);
        // Jira's assignee is a UserDetails like the reporter (the recorded issues are unassigned).
        foreach (var (path, kinds) in recordedShape.Where(p => p.Key.StartsWith("fields.reporter", StringComparison.Ordinal)).ToList())
        {
            recordedShape.TryAdd("fields.assignee" + path["fields.reporter".Length..], kinds);
        }

        var problems = new List<string>();
        foreach (var (path, kinds) in servedShape)
        {
            if (extras.Any(e => path == e || path.StartsWith(e.EndsWith('.') || e.EndsWith(']') ? e : e + ".", StringComparison.Ordinal) || path.StartsWith(e + "[]", StringComparison.Ordinal)))
            {
                continue;
            }

            if (!recordedShape.TryGetValue(path, out var want))
            {
                problems.Add($"served but not in the recorded pages: {path} ({string.Join("/", kinds)})");
                continue;
            }

            var other = kinds.Where(k => k != JsonValueKind.Null && !want.Contains(k) && !(want.SetEquals([JsonValueKind.Null]))).ToList();
            if (other.Count > 0)
            {
                problems.Add($"{path}: served as {string.Join("/", other)}, recorded as {string.Join("/", want)}");
            }
        }

        foreach (var path in DtoPaths(dto, string.Empty).Where(recordedShape.ContainsKey))
        {
            if (!servedShape.ContainsKey(path) && recordedShape[path].Any(k => k != JsonValueKind.Null))
            {
                problems.Add($"read by {dto.Name} and recorded, but never served: {path}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Every property path of the items (array elements as <c>[]</c>) with the JSON value kinds seen there.</summary>
    private static Dictionary<string, HashSet<JsonValueKind>> Shape(IEnumerable<JsonElement> items)
    {
        var shape = new Dictionary<string, HashSet<JsonValueKind>>(StringComparer.Ordinal);
        void Walk(JsonElement e, string path)
        {
            var kind = e.ValueKind is JsonValueKind.True or JsonValueKind.False ? JsonValueKind.True : e.ValueKind;
            if (path.Length > 0)
            {
                (shape.TryGetValue(path, out var kinds) ? kinds : shape[path] = []).Add(kind);
            }

            if (e.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in e.EnumerateObject())
                {
                    // Language maps (xAPI display, name, description) are keyed by any language tag.
                    Walk(p.Value, (path.Length == 0 ? string.Empty : path + ".") + (LanguageTag(p.Name) ? "{lang}" : p.Name));
                }
            }
            else if (e.ValueKind == JsonValueKind.Array)
            {
                foreach (var x in e.EnumerateArray())
                {
                    Walk(x, path + "[]");
                }
            }
        }

        foreach (var item in items)
        {
            Walk(item, string.Empty);
        }

        return shape;
    }

    private static bool LanguageTag(string name) =>
        name.Length is 2 or 5 && char.IsLower(name[0]) && char.IsLower(name[1]) && (name.Length == 2 || (name[2] == '-' && char.IsUpper(name[3]))) && name != "id";

    /// <summary>The JSON paths a DTO reads (property names as the connector's camel-case JSON options spell them).</summary>
    private static IEnumerable<string> DtoPaths(Type type, string prefix)
    {
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetCustomAttribute<JsonExtensionDataAttribute>() is not null)
            {
                continue;
            }

            var name = p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name);
            var path = prefix + name;
            var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>))
            {
                path += "[]";
                t = t.GetGenericArguments()[0];
            }

            yield return path;
            if (t.IsClass && t != typeof(string) && t.Namespace?.StartsWith("Metrics.Sources", StringComparison.Ordinal) == true)
            {
                foreach (var inner in DtoPaths(t, path + "."))
                {
                    yield return inner;
                }
            }
        }
    }
}
