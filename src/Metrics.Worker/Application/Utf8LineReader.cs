using System.Text;

namespace Metrics.Worker.Application;

/// <summary>
/// Reads the lines of a UTF-8 stream as bytes, with exactly the lines, numbering and length verdicts of
/// <see cref="BoundedLineReader"/> over a <see cref="StreamReader"/> (lines end at <c>\n</c>, one trailing <c>\r</c> is
/// dropped, a UTF-8 byte order mark is skipped at the very start only), but without decoding each line into a string:
/// the import parses the bytes directly. It never holds more of a line than can still be within the limit.
/// </summary>
/// <remarks>
/// The limit is in UTF-16 characters, as on the text path, counted on the line with its <c>\r</c>. A UTF-8 sequence of
/// n bytes decodes to at least n / 3 characters (undecodable bytes included), so a line of more than three times the
/// limit in bytes is too long without counting, and the buffer never needs to hold more than that.
/// </remarks>
public sealed class Utf8LineReader
{
    private readonly Stream _stream;
    private readonly int _maxLength;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;
    private bool _atStart = true;
    private bool _eof;

    public Utf8LineReader(Stream stream, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        _stream = stream;
        _maxLength = maxLength;
        _buffer = new byte[Math.Max(64 * 1024, (3 * maxLength) + 2)];
    }

    /// <summary>
    /// The next line without its terminator: false at the end of the stream; <paramref name="tooLong"/> true (and
    /// <paramref name="line"/> empty) for a line over the limit, which is skipped unread. The span is valid until the
    /// next call.
    /// </summary>
    public bool ReadLine(out ReadOnlySpan<byte> line, out bool tooLong)
    {
        line = default;
        tooLong = false;
        var searched = 0;
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending[searched..].IndexOf((byte)'\n');
            if (newline >= 0)
            {
                newline += searched;
                var whole = pending[..newline];
                _start += newline + 1;
                return Finish(whole, out line, out tooLong);
            }

            searched = pending.Length;
            if (_eof)
            {
                if (pending.Length == 0)
                {
                    return false;
                }

                _start = _end;
                return Finish(pending, out line, out tooLong);
            }

            if (pending.Length > 3 * _maxLength)
            {
                // Surely over the limit: drop what is held and read on to the line's end without keeping it.
                SkipToNextLine();
                tooLong = true;
                return true;
            }

            Fill();
            if (_atStart && _end - _start >= 3)
            {
                _atStart = false;
                if (_buffer.AsSpan(_start, 3).SequenceEqual("\uFEFF"u8))
                {
                    _start += 3;
                    searched = 0;
                }
            }
            else if (_atStart && _eof)
            {
                _atStart = false;
            }
        }
    }

    private bool Finish(ReadOnlySpan<byte> whole, out ReadOnlySpan<byte> line, out bool tooLong)
    {
        line = default;
        tooLong = whole.Length > _maxLength && Encoding.UTF8.GetCharCount(whole) > _maxLength;
        if (!tooLong)
        {
            line = whole.Length > 0 && whole[^1] == (byte)'\r' ? whole[..^1] : whole;
        }

        return true;
    }

    /// <summary>Moves the unread bytes to the front and reads until the buffer is full or the stream ends.</summary>
    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        while (_end < _buffer.Length)
        {
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _eof = true;
                return;
            }

            _end += read;
        }
    }

    private void SkipToNextLine()
    {
        _start = _end = 0;
        while (true)
        {
            var read = _stream.Read(_buffer, 0, _buffer.Length);
            if (read == 0)
            {
                _eof = true;
                return;
            }

            var newline = _buffer.AsSpan(0, read).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _start = newline + 1;
                _end = read;
                return;
            }
        }
    }
}
