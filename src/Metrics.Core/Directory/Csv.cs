using System.Text;

namespace Metrics.Core.Directory;

/// <summary>Splits one RFC 4180 CSV line (quoted fields, doubled quotes). Line breaks inside quotes are not supported.</summary>
public static class Csv
{
    public static bool TrySplit(string line, out List<string> fields, out string? error)
    {
        ArgumentNullException.ThrowIfNull(line);
        fields = [];
        error = null;
        var current = new StringBuilder();
        var inQuotes = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"')
                    {
                        current.Append('"');
                        i++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"' && current.Length == 0)
            {
                inQuotes = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (inQuotes)
        {
            error = "unterminated quoted field";
            return false;
        }

        fields.Add(current.ToString());
        return true;
    }

    /// <summary>Quotes a field when it holds a separator, a quote or a line break.</summary>
    public static string Escape(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }
}
