using System.Text;

namespace Metrics.Worker.Application;

/// <summary>
/// Reads lines but never holds more than <c>maxLength</c> characters of one: a hostile or corrupt file with a
/// gigabyte-long line becomes one rejected line instead of exhausting memory.
/// </summary>
public sealed class BoundedLineReader(TextReader reader, int maxLength)
{
    private readonly char[] _buffer = new char[64 * 1024];
    private readonly StringBuilder _line = new();
    private int _position;
    private int _length;

    /// <summary>Returned in place of a line longer than the limit; callers report it as too long.</summary>
    public static readonly string TooLong = new('\0', 1);

    /// <summary>The next line without its terminator, <see cref="TooLong"/> for an over-long line, or null at the end.</summary>
    public string? ReadLine()
    {
        _line.Clear();
        var tooLong = false;
        var any = false;
        while (true)
        {
            if (_position == _length)
            {
                _length = reader.Read(_buffer, 0, _buffer.Length);
                _position = 0;
                if (_length == 0)
                {
                    break;
                }
            }

            any = true;
            var span = _buffer.AsSpan(_position, _length - _position);
            var newline = span.IndexOf('\n');
            var chunk = newline >= 0 ? span[..newline] : span;
            if (!tooLong)
            {
                if (_line.Length + chunk.Length > maxLength)
                {
                    tooLong = true;
                    _line.Clear();
                }
                else
                {
                    _line.Append(chunk);
                }
            }

            _position += chunk.Length;
            if (newline >= 0)
            {
                _position++;
                break;
            }
        }

        if (!any)
        {
            return null;
        }

        if (tooLong)
        {
            return TooLong;
        }

        if (_line.Length > 0 && _line[^1] == '\r')
        {
            _line.Length--;
        }

        return _line.ToString();
    }
}
