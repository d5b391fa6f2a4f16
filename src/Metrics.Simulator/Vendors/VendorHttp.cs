using System.Buffers;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Metrics.Simulator.Vendors;

/// <summary>Response helpers shared by the simulated vendors.</summary>
public static class VendorHttp
{
    /// <summary>Set by the fault middleware: the body of this response is cut in half.</summary>
    public const string MalformedItem = "simulator.malformed";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes a JSON body built by <paramref name="write"/>; a malformed-page fault truncates it mid-document.</summary>
    public static async Task JsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        var body = buffer.WrittenMemory;
        if (context.Items.ContainsKey(MalformedItem))
        {
            body = body[..(body.Length / 2)];
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>Whether the request carries HTTP Basic credentials equal to the expected pair (compared in constant time).</summary>
    /// <summary>Writes one property of a stored JSON record; a JSON null stays null, as the vendors send it.</summary>
    public static void WriteProperty(Utf8JsonWriter writer, string name, System.Text.Json.Nodes.JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(name);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer);
        }
    }

    public static bool HasBasic(HttpRequest request, string user, string secret)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return false;
        }

        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(header.Parameter);
        }
        catch (FormatException)
        {
            return false;
        }

        return Same(decoded, Encoding.UTF8.GetBytes(user + ":" + secret));
    }

    public static bool Same(string? given, string expected) =>
        given is not null && Same(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    private static bool Same(byte[] a, byte[] b) => CryptographicOperations.FixedTimeEquals(a, b);

    /// <summary>An opaque page token: base64url of the text.</summary>
    public static string Token(string text) => Base64Url(Encoding.UTF8.GetBytes(text));

    public static string? Untoken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var s = token.Replace('-', '+').Replace('_', '/');
            s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
            return Encoding.UTF8.GetString(Convert.FromBase64String(s));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A short stable fingerprint of a query, so a page token is refused for a different query.</summary>
    public static string Fingerprint(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
}
