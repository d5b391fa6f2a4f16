using Metrics.Core.Kpis;

namespace Metrics.Influx;

public sealed partial class InfluxKpiStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Deletes the stored KPI points of the range first, so a group that fell below the minimum size or a ratio whose
    /// denominator became 0 leaves no stale point behind; then writes <paramref name="points"/> in batches of
    /// <see cref="InfluxOptions.BatchSize"/> while enumerating them. Every point must lie within the range.
    /// </remarks>
    /// <exception cref="KpiStoreException">The delete or a batch failed, or a point cannot be stored.</exception>
    public async Task<long> ReplaceRangeAsync(DateOnly from, DateOnly to, IEnumerable<KpiPoint> points, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(from, to);

        using var activity = InfluxTelemetry.ActivitySource.StartActivity("influx.replace_range");
        activity?.SetTag("from", from.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        activity?.SetTag("to", to.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var server = await DetectServerAsync(cancellationToken);
        var start = KpiSchema.DayStart(from, _zone);
        var end = KpiSchema.DayStart(to.AddDays(1), _zone);
        await MeasuredAsync(server, 0, () => DeleteRangeAsync(server, start, end, cancellationToken));

        var daySeconds = new Dictionary<DateOnly, long>();
        var batch = new KpiLineBatch(_options.BatchSize);
        long written = 0;

        // One batch is posted while the next is computed: the points come from the KPI engine as it walks the days, so
        // waiting for every request left the engine idle for about half of a recompute. At most one request is in
        // flight, in order, so a failed batch still stops the range before any later one is sent.
        Task<int>? pending = null;
        try
        {
            foreach (var point in points)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var seconds = Seconds(point, from, to, daySeconds);
                batch.Add(point, seconds);
                if (KpiSchema.IsTrend(point))
                {
                    batch.AddTrend(point, seconds, KpiSchema.TrendMaxRangeSeconds(point.Date, to));
                }

                if (batch.Count >= _options.BatchSize)
                {
                    written += await CompletedAsync(pending);
                    var full = batch;
                    batch = new KpiLineBatch(_options.BatchSize);
                    pending = Task.Run(() => WriteCountedAsync(server, full, cancellationToken), cancellationToken);
                }
            }

            written += await CompletedAsync(pending);
            pending = null;
            if (batch.Count > 0)
            {
                written += await WriteCountedAsync(server, batch, cancellationToken);
            }
        }
        catch when (pending is not null)
        {
            // No request may outlive the call that started it: a caller that gives up on the range (bad point,
            // cancellation) must be able to rely on nothing more being written to it afterwards.
            await pending.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
        finally
        {
            batch.Dispose();
        }

        Log.RangeReplaced(_logger, from, to, _url, written);
        activity?.SetTag("points", written);
        return written;
    }

    /// <summary>Checks that a point can be stored as it is and gives its timestamp: the start of its day in the org zone.</summary>
    private long Seconds(KpiPoint point, DateOnly from, DateOnly to, Dictionary<DateOnly, long> daySeconds)
    {
        if (point.Date < from || point.Date > to)
        {
            // The delete only covered from..to; a point outside it would not be replaced on the next recompute.
            throw new KpiStoreException($"KPI point {Describe(point)} lies outside the replaced range {from:yyyy-MM-dd}..{to:yyyy-MM-dd}.");
        }

        if (!double.IsFinite(point.Value))
        {
            // Always a float otherwise: InfluxDB fixes a field's type per shard, so counts written as integers would clash with ratios.
            throw new KpiStoreException($"KPI point {Describe(point)} has no finite value; ratios with a zero denominator are not written.");
        }

        CheckTagValue(point, KpiSchema.KpiTag, point.Kpi);
        CheckTagValue(point, KpiSchema.WindowTag, point.Window);
        if (point.Department is not null)
        {
            CheckTagValue(point, KpiSchema.DepartmentTag, point.Department);
        }

        if (point.Tool is not null)
        {
            CheckTagValue(point, KpiSchema.ToolTag, point.Tool);
        }

        if (!daySeconds.TryGetValue(point.Date, out var seconds))
        {
            seconds = KpiSchema.DayStart(point.Date, _zone).ToUnixTimeSeconds();
            daySeconds[point.Date] = seconds;
        }

        return seconds;
    }

    /// <summary>
    /// Line protocol cannot carry every string: an empty tag is no tag, and InfluxDB reads a backslash or a control
    /// character in a tag value differently from how it was written. Such a name would be stored under another name.
    /// </summary>
    private static void CheckTagValue(KpiPoint point, string tag, string value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Contains('\\', StringComparison.Ordinal) || value.Any(char.IsControl))
        {
            throw new KpiStoreException(
                $"KPI point {Describe(point)}: tag '{tag}' must be non-empty and free of backslashes and control characters to be stored in InfluxDB.");
        }
    }

    private static string Describe(KpiPoint point) =>
        $"({point.Date:yyyy-MM-dd}, {point.Department ?? "org"}, {point.Kpi}, {point.Window})";

    private Task DeleteRangeAsync(InfluxServer server, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        if (server.Api == InfluxApi.V1 || server.IsInfluxDb1)
        {
            return DeleteRangeV1Async(server, start, end, cancellationToken);
        }

        return DeleteRangeV2Async(start, end, cancellationToken);
    }

    /// <summary>One request per measurement: in a multi-statement query InfluxDB 1.x hides the real error (e.g. a missing database) behind "not executed".</summary>
    private async Task DeleteRangeV1Async(InfluxServer server, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        foreach (var measurement in KpiSchema.Measurements)
        {
            var statement = $"DELETE FROM {InfluxQl.Identifier(measurement)} WHERE time >= {InfluxQl.Time(start)} AND time < {InfluxQl.Time(end)}";
            await ExecuteAsync("Delete KPI range", statement, WriteDatabase(server), cancellationToken);
        }
    }

    private async Task DeleteRangeV2Async(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var client = Client();
        try
        {
            // The v2 delete API treats stop as inclusive; points sit on whole seconds, so one second before the next day is exact.
            await WithTimeoutAsync("Delete KPI range", async ct =>
            {
                foreach (var measurement in KpiSchema.Measurements)
                {
                    await client.GetDeleteApi().Delete(
                        start.UtcDateTime, end.UtcDateTime.AddSeconds(-1), $"_measurement=\"{measurement}\"", WriteBucket, WriteOrg, ct);
                }

                return 0;
            }, cancellationToken);
        }
        catch (KpiStoreException ex) when (IsMissingEndpoint(ex))
        {
            if (Interlocked.Exchange(ref _deleteUnsupportedLogged, 1) == 0)
            {
                Log.DeleteUnsupported(_logger, _url, (int?)ex.StatusCode ?? 0);
            }
        }
    }

    private static Task<int> CompletedAsync(Task<int>? pending) => pending ?? Task.FromResult(0);

    private async Task<int> WriteCountedAsync(InfluxServer server, KpiLineBatch batch, CancellationToken cancellationToken)
    {
        using (batch)
        {
            await WriteBatchAsync(server, batch, cancellationToken);
            return batch.Count;
        }
    }

    /// <summary>Times one request into the write metrics; a cancellation by the caller is neither a success nor a failure.</summary>
    private async Task MeasuredAsync(InfluxServer server, int points, Func<Task> request)
    {
        if (_telemetry is null)
        {
            await request();
            return;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await request();
        }
        catch (KpiStoreException)
        {
            _telemetry.WriteFinished(server.Api, points, succeeded: false, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            throw;
        }

        _telemetry.WriteFinished(server.Api, points, succeeded: true, System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// <c>/write</c> (v1) or <c>/api/v2/write</c> with the same line protocol body. The v2 request is the one
    /// InfluxDB.Client sent: org, bucket and precision as parameters, the token (or <c>user:password</c>) as
    /// <c>Authorization: Token</c>.
    /// </summary>
    private Task WriteBatchAsync(InfluxServer server, KpiLineBatch batch, CancellationToken cancellationToken) =>
        MeasuredAsync(server, batch.Count, () => PostAsync(server, batch, cancellationToken));

    private Task PostAsync(InfluxServer server, KpiLineBatch batch, CancellationToken cancellationToken)
    {
        var v1 = server.Api == InfluxApi.V1;
        var what = v1 ? $"Write of {batch.Count} KPI points to database '{_options.Database}'" : $"Write of {batch.Count} KPI points to bucket '{WriteBucket}'";
        return WithTimeoutAsync(what, async ct =>
        {
            using var request = v1
                ? NewRequest(HttpMethod.Post, "write", [("db", _options.Database), ("rp", _options.RetentionPolicy), ("precision", "s")], batch)
                : NewRequest(HttpMethod.Post, "api/v2/write", [("org", WriteOrg), ("bucket", WriteBucket), ("precision", "s")], batch, tokenAuth: true);
            using var response = await _http.SendAsync(request, ct);
            await EnsureSuccessAsync(response, what, ct);
            return 0;
        }, cancellationToken);
    }
}
