using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Metrics.Core.Ports;
using Refit;

namespace Metrics.Sources.Common;

/// <summary>
/// How a vendor's list response pages: where its items are and what names the next page. One description per vendor
/// (kept with its DTOs) serves cursor, token, offset and link paging alike: the "next" value is whatever the vendor hands
/// back (a cursor, a page token, an offset, a link), and the reader passes it to the next call as it is.
/// </summary>
/// <param name="ItemsName">The vendor's name of the items array, for the message of a page without one.</param>
/// <param name="Items">The raw items of a page; null when the page has no items array (a refused page).</param>
/// <param name="Next">The next page's cursor, token, offset or link from the page body and the current one; null or empty at the end.</param>
public sealed record PageShape<TBody>(string ItemsName, Func<TBody, IReadOnlyList<JsonElement>?> Items, Func<TBody, string?, string?> Next);

/// <summary>One page as read: its body and items, the response headers, and what names the page after it (null at the end).</summary>
public sealed record ApiPage<TBody>(int Number, string What, TBody Body, IReadOnlyList<JsonElement> Items, HttpResponseHeaders? Headers, string? Next)
{
    /// <summary>Set when the page itself is sound but the way on is not (a repeated cursor, a foreign link): the caller
    /// stores the page and then throws this, so nothing read is lost and the failure is reported once.</summary>
    public SourcePageException? StopAfter { get; init; }
}

/// <summary>The one paging loop every connector uses.</summary>
public static class Paging
{
    /// <summary>
    /// Reads pages until the vendor names no next page or the caller stops enumerating. Each call goes through
    /// <see cref="ApiCalls.SendAsync{T}"/>, so an HTTP, transport or JSON failure becomes one
    /// <see cref="SourcePageException"/> naming the page. A page with more than <paramref name="maxItems"/> items, or
    /// without its items array, is refused whole. A cursor seen before ends the read after that page (servers that
    /// repeat a cursor would otherwise loop forever).
    /// </summary>
    /// <param name="what">What is read, e.g. <c>executions</c>; pages are named "executions page 3".</param>
    /// <param name="shape">Where the vendor's items and next value are.</param>
    /// <param name="maxItems">The source's MaxItemsPerPage.</param>
    /// <param name="fetch">The Refit call for a page, given the previous page's next value (<paramref name="start"/> for the first page).</param>
    /// <param name="cancellationToken">Ends the read.</param>
    /// <param name="start">What the first call gets: null, or a stored cursor or link to resume from.</param>
    public static async IAsyncEnumerable<ApiPage<TBody>> ReadAsync<TBody>(
        string what,
        PageShape<TBody> shape,
        int maxItems,
        Func<string?, CancellationToken, Task<IApiResponse<TBody>>> fetch,
        [EnumeratorCancellation] CancellationToken cancellationToken,
        string? start = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(fetch);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var token = start;
        var number = 0;
        while (true)
        {
            number++;
            var label = $"{what} page {number}";
            var current = token;
            ApiPage<TBody> page;
            using (var response = await ApiCalls.SendAsync(() => fetch(current, cancellationToken), label, cancellationToken))
            {
                var body = response.Content!;
                var items = shape.Items(body) ?? throw new SourcePageException($"{label} failed: no {shape.ItemsName} array");
                if (items.Count > maxItems)
                {
                    throw new SourcePageException($"{label} failed: {items.Count} items exceed MaxItemsPerPage {maxItems}");
                }

                SourcePageException? stop = null;
                string? next;
                try
                {
                    next = shape.Next(body, current) is { Length: > 0 } n ? n : null;
                }
                catch (SourcePageException ex)
                {
                    next = null;
                    stop = ex;
                }

                if (current is not null)
                {
                    seen.Add(current);
                }

                if (next is not null && seen.Contains(next))
                {
                    next = null;
                    stop = new SourcePageException($"{label} failed: the server repeated its cursor");
                }

                page = new ApiPage<TBody>(number, label, body, items, response.Headers, next) { StopAfter = stop };
            }

            yield return page;
            if (page.StopAfter is not null)
            {
                throw page.StopAfter;
            }

            if (page.Next is null)
            {
                yield break;
            }

            token = page.Next;
        }
    }

    /// <summary>The next offset of offset paging: none once a page came back short.</summary>
    public static string? NextOffset(string? current, int received, int pageSize)
    {
        var offset = current is null ? 0 : int.Parse(current, CultureInfo.InvariantCulture);
        return received < pageSize || received == 0 ? null : (offset + received).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Reads one item of a page; a malformed item is reported as a bad item with its id where it has one.</summary>
    public static T? Item<T>(JsonElement raw, PageBuilder page, string reason)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(page);
        try
        {
            return SourceJson.Item<T>(raw);
        }
        catch (JsonException)
        {
            page.Bad(RawId(raw, "id") ?? "?", reason);
            return null;
        }
    }

    /// <summary>A string or number property of a raw item, for naming an item that did not deserialise.</summary>
    public static string? RawId(JsonElement raw, string name) =>
        raw.ValueKind == JsonValueKind.Object && raw.TryGetProperty(name, out var e) && e.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? e.ToString() : null;
}
