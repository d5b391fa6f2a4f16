using System.Text.Json.Nodes;

namespace Metrics.Simulator.Generation;

/// <summary>The Entra ID users as Graph's users delta returns them (properties as selected by the connector).</summary>
public sealed class GraphData
{
    public required IReadOnlyList<JsonObject> Users { get; init; }
}

/// <summary>
/// Today's directory as Graph sees it: current department and title, leavers disabled, a few users with only a UPN,
/// some addresses with capitals, and a service account without a department that the connector must reject.
/// </summary>
public static class GraphGenerator
{
    public const string Source = "directory";

    public static GraphData Generate(Company company, GroundTruth truth, SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(options);
        var rng = new Rng(options.Seed, "graph");
        var users = new List<JsonObject>();
        foreach (var e in company.Employees)
        {
            var current = e.Last;
            var capitals = rng.Chance(0.2);
            var address = capitals ? e.FirstName + "." + e.Email[(e.FirstName.Length + 1)..] : e.Email;
            var mailMissing = rng.Chance(0.03);
            var user = new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.user",
                ["id"] = e.GraphId,
                ["displayName"] = e.DisplayName,
                ["givenName"] = e.FirstName,
                ["surname"] = e.LastName,
                ["mail"] = mailMissing ? null : address,
                ["userPrincipalName"] = address,
                ["department"] = current.Department.Name,
                ["jobTitle"] = current.Title,
                ["employeeId"] = e.EmployeeId,
                ["accountEnabled"] = current.To is null,
            };
            if (e.Manager is { } m)
            {
                user["manager@delta"] = new JsonArray(new JsonObject { ["@odata.type"] = "#microsoft.graph.user", ["id"] = m.GraphId });
            }

            users.Add(user);
        }

        var service = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.user",
            ["id"] = rng.Uuid(),
            ["displayName"] = "Backup Service",
            ["mail"] = null,
            ["userPrincipalName"] = "svc-backup@" + options.Domain,
            ["department"] = null,
            ["jobTitle"] = null,
            ["employeeId"] = null,
            ["accountEnabled"] = true,
        };
        users.Insert(users.Count / 2, service);
        truth.Expect(Source, service["id"]!.GetValue<string>(), DifferenceKind.Rejected, "service account without a department");
        return new GraphData { Users = users };
    }
}
