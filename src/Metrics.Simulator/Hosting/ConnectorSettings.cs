using System.Globalization;
using Metrics.Simulator.Generation;

namespace Metrics.Simulator.Hosting;

/// <summary>
/// The worker's <c>Sources</c> settings that point every connector at a running simulator and map its data to exactly
/// the exported ground truth. <c>connectors.appsettings.json</c> is this, for <see cref="DefaultBaseUrl"/>.
/// </summary>
public static class ConnectorSettings
{
    public const string DefaultBaseUrl = "http://127.0.0.1:5080";

    /// <summary>Flat configuration keys (<c>Sources:Lms:BaseUrl</c>, ...) for a simulator at <paramref name="baseUrl"/>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> For(string baseUrl, SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(options);
        var b = baseUrl.TrimEnd('/');
        var c = options.Credentials;
        // The first pull must reach back over the whole history; the connectors allow at most ten years.
        const string lookback = "3650.00:00:00";
        var s = new List<KeyValuePair<string, string>>();
        void Add(string key, string value) => s.Add(new(key, value));

        Add("Sources:Lms:Enabled", "true");
        Add("Sources:Lms:BaseUrl", b + "/lrs/xapi");
        Add("Sources:Lms:Username", c.LrsUsername);
        Add("Sources:Lms:Password", c.LrsPassword);
        Add("Sources:Lms:InitialLookback", lookback);
        Add("Sources:Lms:CourseActivityPrefixes:0", "https://lms." + options.Domain + "/courses/");

        Add("Sources:LowCode:Enabled", "true");
        Add("Sources:LowCode:BaseUrl", b + "/n8n/api/v1");
        Add("Sources:LowCode:ApiKey", c.N8nApiKey);
        Add("Sources:LowCode:InitialLookback", lookback);

        Add("Sources:Ticketing:Enabled", "true");
        Add("Sources:Ticketing:BaseUrl", b + "/jira");
        Add("Sources:Ticketing:Email", c.JiraEmail);
        Add("Sources:Ticketing:ApiToken", c.JiraApiToken);
        Add("Sources:Ticketing:InitialLookback", lookback);
        Add("Sources:Ticketing:Jql", "project in (" + string.Join(", ", JiraGenerator.QueriedProjects) + ")");
        Add("Sources:Ticketing:Proposal:IssueTypes:0", "Idea");
        Add("Sources:Ticketing:Decision:IssueTypes:0", "Decision");
        Add("Sources:Ticketing:Project:IssueTypes:0", "Epic");
        Add("Sources:Ticketing:Retrospective:IssueTypes:0", "Retrospective");
        Add("Sources:Ticketing:AiAssisted:Labels:0", JiraGenerator.AiLabel);

        Add("Sources:Directory:Enabled", "true");
        Add("Sources:Directory:Provider", "Graph");
        // The first Graph snapshot is back-dated over the simulated history (and no further: every day it covers is
        // recomputed), so the events pulled from the other sources resolve.
        Add("Sources:Directory:InitialLookback", (options.Days + 1).ToString(CultureInfo.InvariantCulture) + ".00:00:00");
        Add("Sources:Directory:BaseUrl", b + "/graph");
        Add("Sources:Directory:TokenEndpoint", b + "/login/" + c.GraphTenant + "/oauth2/v2.0/token");
        Add("Sources:Directory:ClientId", c.GraphClientId);
        Add("Sources:Directory:ClientSecret", c.GraphClientSecret);
        var rules = new (string Level, string Pattern)[]
        {
            ("Executive", "^(Chief |VP )"),
            ("Manager", "^(Head of |Team Lead )"),
            ("Specialist", "(Engineer|Scientist|Specialist|Analyst|Counsel|Designer|Architect)"),
            ("Frontline", "(Associate|Agent|Operator|Clerk|Assistant|Technician)"),
        };
        for (var i = 0; i < rules.Length; i++)
        {
            Add($"Sources:Directory:LevelRules:{i}:Level", rules[i].Level);
            Add($"Sources:Directory:LevelRules:{i}:TitlePattern", rules[i].Pattern);
        }

        // The AI tools report only the latest activity: a first pull at the story's end sees exactly the ground truth.
        Add("Sources:M365Copilot:Enabled", "true");
        Add("Sources:M365Copilot:BaseUrl", b + "/graph");
        Add("Sources:M365Copilot:InitialLookback", lookback);

        Add("Sources:GitHubCopilot:Enabled", "true");
        Add("Sources:GitHubCopilot:BaseUrl", b + "/github");
        Add("Sources:GitHubCopilot:Organization", CopilotGenerator.Organization);
        Add("Sources:GitHubCopilot:Token", c.GitHubToken);
        Add("Sources:GitHubCopilot:InitialLookback", lookback);

        Add("Kpi:TimeZone", options.TimeZone);
        Add("Kpi:MinimumGroupSize", options.MinimumGroupSize.ToString(CultureInfo.InvariantCulture));
        // No connector serves a course catalog: the worker takes the required courses from configuration.
        foreach (var course in Catalog.Courses)
        {
            Add("Kpi:RequiredCourses:" + course.Id, string.Join(';', course.Levels.Select(l => l.ToString().ToLowerInvariant())));
        }
        return s;
    }

    /// <summary>The same settings as a nested JSON document (the shape of <c>appsettings.json</c>).</summary>
    public static string Json(string baseUrl, SimulatorOptions options)
    {
        var root = new System.Text.Json.Nodes.JsonObject();
        foreach (var (key, value) in For(baseUrl, options))
        {
            System.Text.Json.Nodes.JsonNode node = root;
            var parts = key.Split(':');
            for (var i = 0; i < parts.Length - 1; i++)
            {
                var isArray = int.TryParse(parts[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out _);
                var child = node is System.Text.Json.Nodes.JsonArray a
                    ? (int.Parse(parts[i], CultureInfo.InvariantCulture) < a.Count ? a[int.Parse(parts[i], CultureInfo.InvariantCulture)] : null)
                    : node[parts[i]];
                if (child is null)
                {
                    child = isArray ? new System.Text.Json.Nodes.JsonArray() : new System.Text.Json.Nodes.JsonObject();
                    if (node is System.Text.Json.Nodes.JsonArray arr)
                    {
                        arr.Add(child);
                    }
                    else
                    {
                        node[parts[i]] = child;
                    }
                }

                node = child;
            }

            System.Text.Json.Nodes.JsonNode leaf = value is "true" ? System.Text.Json.Nodes.JsonValue.Create(true)
                : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && key.EndsWith("MinimumGroupSize", StringComparison.Ordinal) ? System.Text.Json.Nodes.JsonValue.Create(n)
                : System.Text.Json.Nodes.JsonValue.Create(value);
            if (node is System.Text.Json.Nodes.JsonArray list)
            {
                list.Add(leaf);
            }
            else
            {
                node[parts[^1]] = leaf;
            }
        }

        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }
}
