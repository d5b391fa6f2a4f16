using System.Globalization;
using Metrics.Simulator.Generation;

namespace Metrics.Simulator.Vendors;

/// <summary>A JQL query the simulator can run: a filter and an ordering.</summary>
public sealed record JqlQuery(Func<JiraIssue, bool> Filter, Comparison<JiraIssue> Order);

/// <summary>Thrown for JQL the simulator (or Jira) refuses; the message is the one Jira would show.</summary>
public sealed class JqlException(string message) : Exception(message)
{
    public JqlException()
        : this("invalid JQL")
    {
    }

    public JqlException(string message, Exception innerException)
        : this(message + " " + innerException?.Message)
    {
    }
}

/// <summary>
/// A subset of JQL: <c>AND</c>/<c>OR</c>/<c>NOT</c>, parentheses, <c>= != &gt; &gt;= &lt; &lt;= in, not in, is, is not</c>
/// on project, issuetype, labels, status, statusCategory, resolution, key, id, created, updated and resolutiondate, and
/// <c>ORDER BY</c> on created, updated, id and key. Dates are epoch milliseconds or <c>"yyyy/MM/dd HH:mm"</c> style literals
/// read in the API user's time zone, with minute precision, as Jira does. A query with no restriction is refused.
/// </summary>
public static class Jql
{
    private static readonly string[] DateFormats = ["yyyy/MM/dd HH:mm", "yyyy-MM-dd HH:mm", "yyyy/MM/dd", "yyyy-MM-dd"];

    public static JqlQuery Parse(string? jql, TimeZoneInfo userZone)
    {
        ArgumentNullException.ThrowIfNull(userZone);
        var tokens = Tokenize(jql ?? string.Empty);
        var p = new Parser(tokens, userZone);
        Func<JiraIssue, bool>? filter = null;
        if (!p.AtEnd && !p.IsWord("order"))
        {
            filter = p.Or();
        }

        Comparison<JiraIssue> order = (a, b) => a.Id.CompareTo(b.Id);
        if (p.IsWord("order"))
        {
            p.Next();
            p.ExpectWord("by");
            var keys = new List<Comparison<JiraIssue>>();
            do
            {
                var field = p.Next().ToLowerInvariant();
                Comparison<JiraIssue> key = field switch
                {
                    "updated" => (a, b) => Nullable.Compare(a.Updated, b.Updated),
                    "created" => (a, b) => Nullable.Compare(a.Created, b.Created),
                    "id" => (a, b) => a.Id.CompareTo(b.Id),
                    "key" => (a, b) => string.CompareOrdinal(a.Project, b.Project) is var c && c != 0 ? c : a.Id.CompareTo(b.Id),
                    _ => throw new JqlException($"Not able to sort using field '{field}'."),
                };
                if (p.IsWord("desc"))
                {
                    p.Next();
                    var asc = key;
                    key = (a, b) => asc(b, a);
                }
                else if (p.IsWord("asc"))
                {
                    p.Next();
                }

                keys.Add(key);
            }
            while (p.TrySkip(","));
            if (keys.Count > 7)
            {
                throw new JqlException("The JQL query has too many ORDER BY fields (at most 7).");
            }

            order = (a, b) =>
            {
                foreach (var k in keys)
                {
                    var c = k(a, b);
                    if (c != 0)
                    {
                        return c;
                    }
                }

                return a.Id.CompareTo(b.Id);
            };
        }

        if (!p.AtEnd)
        {
            throw new JqlException($"Error in the JQL Query: unexpected '{p.Peek()}'.");
        }

        return filter is null
            ? throw new JqlException("Unbounded JQL queries are not allowed here. Please add a search restriction to your query.")
            : new JqlQuery(filter, order);
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '"' or '\'')
            {
                var end = text.IndexOf(c, i + 1);
                if (end < 0)
                {
                    throw new JqlException("Error in the JQL Query: unterminated string.");
                }

                tokens.Add("\u0001" + text[(i + 1)..end]);
                i = end + 1;
            }
            else if (c is '(' or ')' or ',')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c is '=' or '!' or '<' or '>' or '~')
            {
                var two = i + 1 < text.Length && text[i + 1] == '=';
                tokens.Add(text.Substring(i, two ? 2 : 1));
                i += two ? 2 : 1;
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or ',' or '=' or '!' or '<' or '>' or '~' or '"' or '\''))
                {
                    i++;
                }

                tokens.Add(text[start..i]);
            }
        }

        return tokens;
    }

    private sealed class Parser(List<string> tokens, TimeZoneInfo zone)
    {
        private int _at;

        public bool AtEnd => _at >= tokens.Count;

        public string Peek() => AtEnd ? "end of query" : tokens[_at].TrimStart('\u0001');

        public string Next() => AtEnd ? throw new JqlException("Error in the JQL Query: the query ends too early.") : tokens[_at++];

        public bool IsWord(string word) => !AtEnd && string.Equals(tokens[_at], word, StringComparison.OrdinalIgnoreCase);

        public bool TrySkip(string token)
        {
            if (IsWord(token))
            {
                _at++;
                return true;
            }

            return false;
        }

        public void ExpectWord(string word)
        {
            if (!TrySkip(word))
            {
                throw new JqlException($"Error in the JQL Query: expecting '{word}' but got '{Peek()}'.");
            }
        }

        public Func<JiraIssue, bool> Or()
        {
            var left = And();
            while (TrySkip("or"))
            {
                var l = left;
                var r = And();
                left = i => l(i) || r(i);
            }

            return left;
        }

        private Func<JiraIssue, bool> And()
        {
            var left = Not();
            while (TrySkip("and"))
            {
                var l = left;
                var r = Not();
                left = i => l(i) && r(i);
            }

            return left;
        }

        private Func<JiraIssue, bool> Not()
        {
            if (TrySkip("not"))
            {
                var inner = Not();
                return i => !inner(i);
            }

            if (TrySkip("("))
            {
                var inner = Or();
                if (!TrySkip(")"))
                {
                    throw new JqlException("Error in the JQL Query: expecting ')'.");
                }

                return inner;
            }

            return Clause();
        }

        private Func<JiraIssue, bool> Clause()
        {
            var field = Next().TrimStart('\u0001').ToLowerInvariant();
            var op = Next().ToLowerInvariant();
            if (op == "not")
            {
                ExpectWord("in");
                op = "not in";
            }
            else if (op == "is" && TrySkip("not"))
            {
                op = "is not";
            }

            if (op is "~" or "!~")
            {
                throw new JqlException("The simulator does not support text search (~) in JQL.");
            }

            var values = new List<string?>();
            if (op is "in" or "not in")
            {
                if (!TrySkip("("))
                {
                    throw new JqlException("Error in the JQL Query: expecting '(' after IN.");
                }

                do
                {
                    values.Add(Value());
                }
                while (TrySkip(","));
                if (!TrySkip(")"))
                {
                    throw new JqlException("Error in the JQL Query: expecting ')'.");
                }
            }
            else
            {
                values.Add(Value());
            }

            return field switch
            {
                "project" => Text(op, values, i => [i.Project]),
                "issuetype" or "type" => Text(op, values, i => [i.Type]),
                "labels" => Text(op, values, i => i.Labels),
                "status" => Text(op, values, i => [i.Status]),
                "statuscategory" => Text(op, values, i => [i.StatusCategory]),
                "resolution" => Text(op, values, i => i.Resolution is null ? [] : [i.Resolution]),
                "key" or "issuekey" => Text(op, values, i => [i.Key]),
                "id" => Text(op, values, i => [i.Id.ToString(CultureInfo.InvariantCulture)]),
                "created" => Date(op, values, i => i.Created),
                "updated" => Date(op, values, i => i.Updated),
                "resolutiondate" or "resolved" => Date(op, values, i => i.Fields["resolutiondate"] is { } r && r.GetValue<string>() is { } s && TryIssueTime(s, out var t) ? t : null),
                _ => throw new JqlException($"Field '{field}' does not exist or you do not have permission to view it."),
            };
        }

        private string? Value()
        {
            var raw = Next();
            if (raw.StartsWith('\u0001'))
            {
                return raw[1..];
            }

            return raw.Equals("empty", StringComparison.OrdinalIgnoreCase) || raw.Equals("null", StringComparison.OrdinalIgnoreCase) ? null : raw;
        }

        private static Func<JiraIssue, bool> Text(string op, List<string?> values, Func<JiraIssue, IReadOnlyList<string>> get)
        {
            bool Has(JiraIssue i) => get(i).Any(v => values.Any(x => x is not null && string.Equals(v, x, StringComparison.OrdinalIgnoreCase)));
            return op switch
            {
                "=" or "in" => values.Contains(null) ? i => get(i).Count == 0 || Has(i) : Has,
                "!=" or "not in" => i => !Has(i),
                "is" => i => get(i).Count == 0,
                "is not" => i => get(i).Count > 0,
                _ => throw new JqlException($"The operator '{op}' is not supported by this field."),
            };
        }

        private Func<JiraIssue, bool> Date(string op, List<string?> values, Func<JiraIssue, DateTimeOffset?> get)
        {
            if (op is "is" or "is not")
            {
                return op == "is" ? i => get(i) is null : i => get(i) is not null;
            }

            var bounds = values.Select(v => v is null ? throw new JqlException("Date values cannot be EMPTY here.") : Instant(v)).ToList();
            return op switch
            {
                "=" or "in" => i => get(i) is { } t && bounds.Contains(t.ToUnixTimeMilliseconds()),
                "!=" or "not in" => i => get(i) is not { } t || !bounds.Contains(t.ToUnixTimeMilliseconds()),
                ">" => i => get(i) is { } t && t.ToUnixTimeMilliseconds() > bounds[0],
                ">=" => i => get(i) is { } t && t.ToUnixTimeMilliseconds() >= bounds[0],
                "<" => i => get(i) is { } t && t.ToUnixTimeMilliseconds() < bounds[0],
                "<=" => i => get(i) is { } t && t.ToUnixTimeMilliseconds() <= bounds[0],
                _ => throw new JqlException($"The operator '{op}' is not supported by date fields."),
            };
        }

        /// <summary>Epoch milliseconds, or a date literal read in the API user's zone (the trap the connector avoids).</summary>
        private long Instant(string value)
        {
            if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms))
            {
                return ms;
            }

            if (DateTime.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUnixTimeMilliseconds();
            }

            throw new JqlException($"Date value '{value}' for field is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.");
        }
    }

    public static bool TryIssueTime(string text, out DateTimeOffset time)
    {
        time = default;
        if (text.Length > 5 && text[^5] is '+' or '-' && text[^3] != ':')
        {
            text = text[..^2] + ":" + text[^2..];
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }
}
