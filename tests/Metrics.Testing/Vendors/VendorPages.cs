using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Metrics.Core.Events;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Metrics.Testing.Vendors;

/// <summary>
/// The recorded vendor pages under <c>tests/vendor-pages/&lt;vendor&gt;/</c> (copied beside every test assembly that
/// references Metrics.Testing): pages built from the vendors' own published examples, their OpenAPI extracts, and the
/// canonical events they must map to. Scenario tests that need other values copy a recorded page or item
/// (<see cref="Page"/>, <see cref="Item"/>) and change values with <see cref="Set"/>: field names and shapes always come
/// from the recorded files.
/// </summary>
public static class VendorPages
{
    public static string PathOf(string vendor, string file) => Path.Combine(AppContext.BaseDirectory, "vendor-pages", vendor, file);

    /// <summary>A recorded page. Graph's paging links name graph.microsoft.com: they are pointed at <paramref name="origin"/>.</summary>
    public static string Read(string vendor, string file, Uri? origin = null)
    {
        var text = File.ReadAllText(PathOf(vendor, file));
        return origin is null ? text : text.Replace("https://graph.microsoft.com", origin.AbsoluteUri.TrimEnd('/'), StringComparison.Ordinal);
    }

    /// <summary>Serves a recorded page with the vendor's content type.</summary>
    public static Task ServeAsync(HttpContext context, string vendor, string file, int status = 200, Uri? origin = null) =>
        VendorHost.WriteJsonAsync(context, Read(vendor, file, origin), status);

    /// <summary>A fresh copy of a recorded page (a JSON object), to change values in.</summary>
    public static JsonObject Page(string vendor, string file) =>
        JsonNode.Parse(Read(vendor, file))?.AsObject() ?? throw new InvalidDataException($"{vendor}/{file} is not a JSON object");

    /// <summary>A fresh copy of the <paramref name="index"/>th element of the array <paramref name="array"/> of a recorded page.</summary>
    public static JsonObject Item(string vendor, string file, string array, int index) =>
        Page(vendor, file)[array]?.AsArray()[index]?.DeepClone().AsObject()
        ?? throw new InvalidDataException($"{vendor}/{file} has no {array}[{index}]");

    /// <summary>
    /// Changes the value at a dotted path (<c>fields.status.statusCategory.key</c>) of a copied recorded item. The
    /// property must already be there: a test changes the vendor's values, it never invents its field names.
    /// </summary>
    public static JsonObject Set(this JsonObject item, string path, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(path);
        var parent = item;
        var rest = path;
        // A vendor's own names may hold a dot (Graph's "@odata.nextLink"): a whole remaining path that is a property wins.
        while (!parent.ContainsKey(rest) && rest.IndexOf('.', StringComparison.Ordinal) is var dot and > 0)
        {
            parent = parent[rest[..dot]] as JsonObject ?? throw new ArgumentException($"the recorded item has no object at '{rest[..dot]}' of '{path}'", nameof(path));
            rest = rest[(dot + 1)..];
        }

        if (!parent.ContainsKey(rest))
        {
            throw new ArgumentException($"the recorded item has no property '{path}'", nameof(path));
        }

        parent[rest] = value;
        return item;
    }

    /// <summary>The expected canonical events of a scenario (<c>expected*.jsonl</c>), one JSON object a line.</summary>
    public static IReadOnlyList<ExpectedEvent> Expected(string vendor, string file) =>
        File.ReadAllLines(PathOf(vendor, file))
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => JsonSerializer.Deserialize<ExpectedEvent>(l, Json)!)
            .ToArray();

    /// <summary>The stored events in the comparable shape, ordered by id.</summary>
    public static IReadOnlyList<ExpectedEvent> Actual(IEnumerable<CanonicalEvent> events) =>
        events.Select(e => new ExpectedEvent(e.Id, EventTypes.Name(e.Type), e.Time, e.Person, e.Subject))
            .OrderBy(e => e.Id, StringComparer.Ordinal)
            .ToArray();

    /// <summary>Asserts the stored events are exactly the expected ones (same instants, whatever offset they were written with).</summary>
    public static void AssertEvents(string vendor, string file, IEnumerable<CanonicalEvent> events)
    {
        var expected = Expected(vendor, file).OrderBy(e => e.Id, StringComparer.Ordinal).ToArray();
        var actual = Actual(events);
        Assert.Equal(expected.Select(Describe), actual.Select(Describe));
    }

    private static string Describe(ExpectedEvent e) => string.Create(CultureInfo.InvariantCulture,
        $"{e.Id} {e.Type} {e.Time.UtcDateTime:O} {e.Person} {e.Subject ?? "-"}");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <summary>One expected canonical event: what the KPIs read of it.</summary>
public sealed record ExpectedEvent(string Id, string Type, DateTimeOffset Time, string Person, string? Subject);
