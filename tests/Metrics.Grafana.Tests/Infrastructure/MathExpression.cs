using System.Globalization;

namespace Metrics.Grafana.Tests.Infrastructure;

/// <summary>
/// Grafana's math expression over number sets: <c>$A</c> or <c>${A}</c> references, numbers, + - * /, comparisons
/// (1 or 0), &amp;&amp; and ||, parentheses. Two sets combine item by item where one item's labels are a subset of
/// the other's (a set of one unlabelled number combines with everything), as Grafana's union does.
/// </summary>
public sealed class MathExpression(string text)
{
    private readonly List<string> _tokens = Tokenize(text);
    private int _pos;

    public IReadOnlyList<AlertInstance> Evaluate(IReadOnlyDictionary<string, IReadOnlyList<AlertInstance>> variables)
    {
        _pos = 0;
        var result = Parse(variables, 0);
        if (_pos != _tokens.Count)
        {
            throw new FormatException($"unexpected '{_tokens[_pos]}' in math expression '{text}'");
        }

        return result;
    }

    private static readonly string[][] Levels = [["||"], ["&&"], ["==", "!=", ">", "<", ">=", "<="], ["+", "-"], ["*", "/"]];

    private IReadOnlyList<AlertInstance> Parse(IReadOnlyDictionary<string, IReadOnlyList<AlertInstance>> vars, int level)
    {
        if (level == Levels.Length)
        {
            return Primary(vars);
        }

        var left = Parse(vars, level + 1);
        while (_pos < _tokens.Count && Levels[level].Contains(_tokens[_pos]))
        {
            var op = _tokens[_pos++];
            var right = Parse(vars, level + 1);
            left = Combine(left, right, op);
        }

        return left;
    }

    private IReadOnlyList<AlertInstance> Primary(IReadOnlyDictionary<string, IReadOnlyList<AlertInstance>> vars)
    {
        if (_pos >= _tokens.Count)
        {
            throw new FormatException($"math expression '{text}' ends early");
        }

        var token = _tokens[_pos++];
        if (token == "(")
        {
            var inner = Parse(vars, 0);
            Expect(")");
            return inner;
        }

        if (token == "-")
        {
            return Primary(vars).Select(i => i with { Value = -i.Value }).ToList();
        }

        if (token.StartsWith('$'))
        {
            var name = token.Trim('$', '{', '}');
            return vars.TryGetValue(name, out var v) ? v : throw new InvalidOperationException($"math expression '{text}' refers to unknown ${name}");
        }

        return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? [new AlertInstance(new Dictionary<string, string>(), number)]
            : throw new FormatException($"unexpected '{token}' in math expression '{text}'");
    }

    private void Expect(string token)
    {
        if (_pos >= _tokens.Count || _tokens[_pos] != token)
        {
            throw new FormatException($"expected '{token}' in math expression '{text}'");
        }

        _pos++;
    }

    private static List<AlertInstance> Combine(IReadOnlyList<AlertInstance> left, IReadOnlyList<AlertInstance> right, string op)
    {
        var result = new List<AlertInstance>();
        foreach (var l in left)
        {
            foreach (var r in right)
            {
                var lInR = l.Labels.All(p => r.Labels.TryGetValue(p.Key, out var v) && v == p.Value);
                var rInL = r.Labels.All(p => l.Labels.TryGetValue(p.Key, out var v) && v == p.Value);
                if (!lInR && !rInL)
                {
                    continue;
                }

                var labels = l.Labels.Count >= r.Labels.Count ? l.Labels : r.Labels;
                result.Add(new AlertInstance(labels, Apply(l.Value, r.Value, op)));
            }
        }

        return result;
    }

    private static double Apply(double a, double b, string op) => op switch
    {
        "+" => a + b,
        "-" => a - b,
        "*" => a * b,
        "/" => a / b,
        ">" => a > b ? 1 : 0,
        "<" => a < b ? 1 : 0,
        ">=" => a >= b ? 1 : 0,
        "<=" => a <= b ? 1 : 0,
        "==" => a == b ? 1 : 0,
        "!=" => a != b ? 1 : 0,
        "&&" => a != 0 && b != 0 ? 1 : 0,
        "||" => a != 0 || b != 0 ? 1 : 0,
        _ => throw new NotSupportedException(op),
    };

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
            else if (c == '$')
            {
                var start = i++;
                if (i < text.Length && text[i] == '{')
                {
                    i = text.IndexOf('}', i) + 1;
                }
                else
                {
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                    {
                        i++;
                    }
                }

                tokens.Add(text[start..i]);
            }
            else if (char.IsDigit(c) || c == '.')
            {
                var start = i;
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.' || text[i] == 'e' || text[i] == 'E'))
                {
                    i++;
                }

                tokens.Add(text[start..i]);
            }
            else if (i + 1 < text.Length && text.Substring(i, 2) is ">=" or "<=" or "==" or "!=" or "&&" or "||")
            {
                tokens.Add(text.Substring(i, 2));
                i += 2;
            }
            else if ("+-*/()<>".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(c.ToString());
                i++;
            }
            else
            {
                throw new FormatException($"unexpected '{c}' in math expression '{text}'");
            }
        }

        return tokens;
    }
}
