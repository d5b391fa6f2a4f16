using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi.Models;
using Microsoft.OpenApi.Readers;
using Xunit;

namespace Metrics.Testing.Vendors;

/// <summary>
/// Checks a request against a vendor's published OpenAPI document the way a validating server does (n8n runs
/// express-openapi-validator on its public API): the path must be an operation of the document, every query parameter
/// must be declared, values must fit their schema (booleans <c>true</c>/<c>false</c>, integers, maximums, enums,
/// date-times, arrays of those), required parameters must be present, and one of the security requirements must be met.
/// </summary>
public sealed class OpenApiRequestCheck
{
    private readonly OpenApiDocument _document;
    private readonly string _basePath;

    private OpenApiRequestCheck(OpenApiDocument document, string basePath)
    {
        _document = document;
        _basePath = basePath;
    }

    /// <summary>Loads a recorded OpenAPI document; a document the reader reports errors for fails the test.</summary>
    /// <param name="basePath">The path the API is served under (n8n: <c>/api/v1</c>; Jira: empty).</param>
    public static OpenApiRequestCheck Load(string vendor, string file, string basePath)
    {
        using var stream = File.OpenRead(VendorPages.PathOf(vendor, file));
        var document = new OpenApiStreamReader().Read(stream, out var diagnostic);
        Assert.True(diagnostic.Errors.Count == 0, string.Join("; ", diagnostic.Errors.Select(e => e.Message)));
        return new OpenApiRequestCheck(document, basePath.TrimEnd('/'));
    }

    /// <summary>Every reason the vendor would refuse the request; empty when it is valid.</summary>
    public IReadOnlyList<string> Check(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<string>();
        var path = request.Path;
        if (_basePath.Length > 0)
        {
            if (!path.StartsWith(_basePath + "/", StringComparison.Ordinal))
            {
                return [$"{path}: not under {_basePath}"];
            }

            path = path[_basePath.Length..];
        }

        var match = _document.Paths.Select(p => (Template: p.Key, Item: p.Value, Values: Match(p.Key, path))).FirstOrDefault(p => p.Values is not null);
        if (match.Item is null)
        {
            return [$"{request.Method} {path}: no such path in the document"];
        }

        if (!match.Item.Operations.TryGetValue(Enum.Parse<OperationType>(request.Method, ignoreCase: true), out var operation))
        {
            return [$"{request.Method} {match.Template}: no such operation"];
        }

        var declared = operation.Parameters.Concat(match.Item.Parameters).ToList();
        var query = QueryHelpers.ParseQuery(request.QueryString);
        foreach (var (name, values) in query)
        {
            var parameter = declared.FirstOrDefault(p => p.In == ParameterLocation.Query && p.Name == name);
            if (parameter is null)
            {
                errors.Add($"{match.Template}: unknown query parameter '{name}'");
                continue;
            }

            foreach (var value in values)
            {
                errors.AddRange(CheckValue($"{match.Template}?{name}", value ?? string.Empty, parameter.Schema));
            }
        }

        foreach (var parameter in declared.Where(p => p.Required))
        {
            var present = parameter.In switch
            {
                ParameterLocation.Query => query.ContainsKey(parameter.Name),
                ParameterLocation.Path => match.Values!.TryGetValue(parameter.Name, out var v) && v.Length > 0,
                ParameterLocation.Header => request.Headers.ContainsKey(parameter.Name),
                _ => true,
            };
            if (!present)
            {
                errors.Add($"{match.Template}: required {parameter.In} parameter '{parameter.Name}' missing");
            }
        }

        foreach (var (name, value) in match.Values!)
        {
            if (declared.FirstOrDefault(p => p.In == ParameterLocation.Path && p.Name == name) is { } p)
            {
                errors.AddRange(CheckValue($"{match.Template}/{{{name}}}", Uri.UnescapeDataString(value), p.Schema));
            }
        }

        var security = operation.Security.Count > 0 ? operation.Security : _document.SecurityRequirements;
        if (security.Count > 0 && !security.Any(requirement => requirement.Count == 0 || requirement.Keys.All(scheme => Satisfied(scheme, request))))
        {
            errors.Add($"{match.Template}: no security requirement met ({string.Join(" | ", security.Select(r => string.Join("+", r.Keys.Select(k => k.Reference?.Id ?? k.Name))))})");
        }

        return errors;
    }

    private static bool Satisfied(OpenApiSecurityScheme scheme, RecordedRequest request) => scheme.Type switch
    {
        SecuritySchemeType.ApiKey when scheme.In == ParameterLocation.Header => request.Headers.TryGetValue(scheme.Name, out var v) && v.Length > 0,
        SecuritySchemeType.Http => request.Headers.TryGetValue("Authorization", out var auth)
            && auth.StartsWith(scheme.Scheme + " ", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private static IEnumerable<string> CheckValue(string where, string value, OpenApiSchema? schema)
    {
        if (schema is null)
        {
            yield break;
        }

        if (schema.Type == "array")
        {
            foreach (var error in CheckValue(where, value, schema.Items))
            {
                yield return error;
            }

            yield break;
        }

        switch (schema.Type)
        {
            case "boolean" when value is not ("true" or "false"):
                yield return $"{where}: '{value}' is not a boolean (true or false)";
                break;
            case "integer" when !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _):
                yield return $"{where}: '{value}' is not an integer";
                break;
            case "number" when !decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _):
                yield return $"{where}: '{value}' is not a number";
                break;
            default:
                break;
        }

        if (schema.Maximum is { } max && decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) && number > max)
        {
            yield return $"{where}: {value} exceeds the maximum {max}";
        }

        if (schema.Enum.Count > 0 && !schema.Enum.OfType<Microsoft.OpenApi.Any.OpenApiString>().Any(e => e.Value == value))
        {
            yield return $"{where}: '{value}' is not one of the enum values";
        }

        if (schema.Format == "date-time" && !DateTimeOffset.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            yield return $"{where}: '{value}' is not an RFC 3339 date-time";
        }
    }

    /// <summary>Matches a path against a template such as <c>/projects/{projectId}/users</c>; null when it does not fit.</summary>
    private static Dictionary<string, string>? Match(string template, string path)
    {
        var t = template.Trim('/').Split('/');
        var p = path.Trim('/').Split('/');
        if (t.Length != p.Length)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < t.Length; i++)
        {
            if (t[i].StartsWith('{') && t[i].EndsWith('}'))
            {
                values[t[i][1..^1]] = p[i];
            }
            else if (!string.Equals(t[i], p[i], StringComparison.Ordinal))
            {
                return null;
            }
        }

        return values;
    }
}
