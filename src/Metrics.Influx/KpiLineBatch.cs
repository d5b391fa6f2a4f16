using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Metrics.Core.Directory;
using Metrics.Core.Kpis;

namespace Metrics.Influx;

/// <summary>
/// The body of one write request: KPI points as InfluxDB line protocol (docs/schema.md), written straight into a
/// pooled UTF-8 buffer. Building a <c>PointData</c> per point (an immutable sorted dictionary copied on every tag), then
/// a string per line, then the UTF-8 body cost about 3.5 us of CPU per point, more than influxd needed to store it
/// (docs/performance.md). The bytes are the ones InfluxDB.Client's <c>PointData.ToLineProtocol</c> produced for the same
/// point: tags in key order, tag values escaped the same way, the value as the shortest text that reads back as the same double, whole seconds.
/// </summary>
/// <remarks>
/// The caller validates the points (finite value, storable tag values); this class only lays them out. The buffer goes
/// back to the pool once the content is disposed and no send is reading it.
/// </remarks>
internal sealed class KpiLineBatch : HttpContent
{
    /// <summary>The characters <c>PointData</c> escapes in a tag value; the store rejects the control characters before.</summary>
    private static readonly SearchValues<char> Special = SearchValues.Create(" ,=\n\r\t");

    private static readonly byte[] KpiMeasurement = Encoding.UTF8.GetBytes(KpiSchema.Measurement);
    private static readonly byte[] ByLevelMeasurement = Encoding.UTF8.GetBytes(KpiSchema.ByLevelMeasurement);
    private static readonly byte[] ByToolMeasurement = Encoding.UTF8.GetBytes(KpiSchema.ByToolMeasurement);
    private static readonly byte[] TrendMeasurement = Encoding.UTF8.GetBytes(KpiSchema.TrendMeasurement);
    private static readonly byte[] MaxRange = Encoding.UTF8.GetBytes(" " + KpiSchema.MaxRangeField + "=");
    private static readonly byte[] NextValue = Encoding.UTF8.GetBytes("," + KpiSchema.ValueField + "=");
    private static readonly byte[] Department = Encoding.UTF8.GetBytes("," + KpiSchema.DepartmentTag + "=");
    private static readonly byte[] Kpi = Encoding.UTF8.GetBytes("," + KpiSchema.KpiTag + "=");
    private static readonly byte[] Level = Encoding.UTF8.GetBytes("," + KpiSchema.LevelTag + "=");
    private static readonly byte[] OrgScope = Encoding.UTF8.GetBytes("," + KpiSchema.ScopeTag + "=" + KpiSchema.OrgScope);
    private static readonly byte[] DepartmentScope = Encoding.UTF8.GetBytes("," + KpiSchema.ScopeTag + "=" + KpiSchema.DepartmentScope);
    private static readonly byte[] Tool = Encoding.UTF8.GetBytes("," + KpiSchema.ToolTag + "=");
    private static readonly byte[] Window = Encoding.UTF8.GetBytes("," + KpiSchema.WindowTag + "=");
    private static readonly byte[] Value = Encoding.UTF8.GetBytes(" " + KpiSchema.ValueField + "=");

    private readonly Lock _lock = new();
    private byte[] _buffer;
    private int _length;
    private int _sending;
    private bool _disposed;

    /// <param name="points">Points expected, to size the first buffer.</param>
    public KpiLineBatch(int points)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Clamp(points, 1, 100_000) * 128);
        Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
    }

    /// <summary>KPI points (and other lines added with <see cref="AddLine"/>) written so far; trend lines ride along uncounted.</summary>
    public int Count { get; private set; }

    /// <summary>The body as it is sent.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, _length);

    /// <summary>Appends one point's line: its measurement by <see cref="KpiSchema"/>, tags in key order, <c>value</c>, seconds.</summary>
    public void Add(KpiPoint point, long unixSeconds)
    {
        // The tiered and per-tool breakdowns live in measurements of their own, so "kpi" stays one series per (kpi, window, scope, department).
        Append(point, unixSeconds, point.Level is not null ? ByLevelMeasurement : point.Tool is not null ? ByToolMeasurement : KpiMeasurement, maxRangeSeconds: null);
        Count++;
    }

    /// <summary>
    /// Appends the point's line in <see cref="KpiSchema.TrendMeasurement"/>: the same tags, <c>max_range_s</c> before
    /// <c>value</c> (fields in key order, as <c>PointData</c> writes them), both floats.
    /// </summary>
    public void AddTrend(KpiPoint point, long unixSeconds, long maxRangeSeconds) =>
        Append(point, unixSeconds, TrendMeasurement, maxRangeSeconds);

    private void Append(KpiPoint point, long unixSeconds, byte[] measurement, long? maxRangeSeconds)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var level = point.Level is { } l ? Levels.Name(l) : null;

        // Escaping at most doubles a character and UTF-8 takes at most 3 bytes a UTF-16 unit; 192 covers the measurement,
        // the tag and field keys, the fields (at most 24 bytes each) and the timestamp (at most 20).
        EnsureRoom(192 + (6 * ((point.Department?.Length ?? 0) + point.Kpi.Length + (level?.Length ?? 0) + (point.Tool?.Length ?? 0) + point.Window.Length)));

        var span = _buffer.AsSpan(_length);
        var at = Write(span, measurement);
        if (point.Department is not null)
        {
            at += Write(span[at..], Department);
            at += Write(span[at..], point.Department);
        }

        at += Write(span[at..], Kpi);
        at += Write(span[at..], point.Kpi);
        if (level is not null)
        {
            at += Write(span[at..], Level);
            at += Write(span[at..], level);
        }

        at += Write(span[at..], point.Department is null ? OrgScope : DepartmentScope);
        if (point.Tool is not null)
        {
            at += Write(span[at..], Tool);
            at += Write(span[at..], point.Tool);
        }

        at += Write(span[at..], Window);
        at += Write(span[at..], point.Window);
        if (maxRangeSeconds is { } maxRange)
        {
            at += Write(span[at..], MaxRange);
            if (!((double)maxRange).TryFormat(span[at..], out var rangeWritten, default, CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException("The line buffer was sized too small for a field.");
            }

            at += rangeWritten;
            at += Write(span[at..], NextValue);
        }
        else
        {
            at += Write(span[at..], Value);
        }

        if (!point.Value.TryFormat(span[at..], out var written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("The line buffer was sized too small for a value.");
        }

        at += written;
        span[at++] = (byte)' ';
        if (!unixSeconds.TryFormat(span[at..], out written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("The line buffer was sized too small for a timestamp.");
        }

        at += written;
        span[at++] = (byte)'\n';
        _length += at;
    }

    /// <summary>Appends a line already in line protocol (without its line break).</summary>
    public void AddLine(string line)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        EnsureRoom(Encoding.UTF8.GetMaxByteCount(line.Length) + 1);
        _length += Encoding.UTF8.GetBytes(line, _buffer.AsSpan(_length));
        _buffer[_length++] = (byte)'\n';
        Count++;
    }

    private void EnsureRoom(int bytes)
    {
        if (_buffer.Length - _length >= bytes)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + bytes));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    private static int Write(Span<byte> destination, byte[] bytes)
    {
        bytes.CopyTo(destination);
        return bytes.Length;
    }

    /// <summary>
    /// A tag value the way <c>PointData</c> escapes it: a backslash before space, comma and equals sign; line breaks and
    /// tabs as <c>\n</c>, <c>\r</c>, <c>\t</c>.
    /// </summary>
    private static int Write(Span<byte> destination, string text)
    {
        var rest = text.AsSpan();
        var at = 0;
        while (true)
        {
            var next = rest.IndexOfAny(Special);
            if (next < 0)
            {
                return at + Encoding.UTF8.GetBytes(rest, destination[at..]);
            }

            at += Encoding.UTF8.GetBytes(rest[..next], destination[at..]);
            destination[at++] = (byte)'\\';
            destination[at++] = rest[next] switch
            {
                '\n' => (byte)'n',
                '\r' => (byte)'r',
                '\t' => (byte)'t',
                var c => (byte)c,
            };
            rest = rest[(next + 1)..];
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var bytes = BeginSend();
        try
        {
            await stream.WriteAsync(bytes, cancellationToken);
        }
        finally
        {
            EndSend();
        }
    }

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var bytes = BeginSend();
        try
        {
            stream.Write(bytes.Span);
        }
        finally
        {
            EndSend();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    private ReadOnlyMemory<byte> BeginSend()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _sending++;
            return _buffer.AsMemory(0, _length);
        }
    }

    private void EndSend()
    {
        lock (_lock)
        {
            _sending--;
            ReturnWhenIdle();
        }
    }

    /// <summary>
    /// The handler may still be writing the body when a request ends early (the server answered first, a timeout): the
    /// buffer is reused only after that write is over, so no other request's bytes can end up in this one.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_lock)
            {
                _disposed = true;
                ReturnWhenIdle();
            }
        }

        base.Dispose(disposing);
    }

    private void ReturnWhenIdle()
    {
        if (_disposed && _sending == 0 && _buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _length = 0;
        }
    }
}
