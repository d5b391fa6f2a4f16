using Metrics.Core.Kpis;
using Microsoft.Extensions.Options;

namespace Metrics.Worker.Hosting;

/// <summary>Checks the KPI settings at start-up with messages that name the setting and its value.</summary>
public sealed class KpiOptionsValidator : IValidateOptions<KpiOptions>
{
    public ValidateOptionsResult Validate(string? name, KpiOptions options)
    {
        var failures = new List<string>();
        if (options.MinimumGroupSize < 2)
        {
            failures.Add($"Kpi:MinimumGroupSize must be at least 2 (was {options.MinimumGroupSize}): smaller groups would expose individuals.");
        }

        foreach (var (course, levels) in options.RequiredCourses)
        {
            var parsed = Metrics.Core.Directory.DirectoryCsvParser.ParseCourseLine(Metrics.Core.Directory.Csv.Escape(course) + "," + levels);
            if (!parsed.IsValid)
            {
                failures.Add($"Kpi:RequiredCourses:{course} '{levels}': {parsed.Error}");
            }
        }

        if (options.TimeRange.Validate() is { } rangeError)
        {
            failures.Add(rangeError);
        }

        try
        {
            options.ResolveTimeZone();
        }
        catch (InvalidOperationException ex)
        {
            failures.Add(ex.Message);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Checks the worker settings at start-up.</summary>
public sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options) =>
        options.Interval < TimeSpan.FromSeconds(1) || options.Interval > TimeSpan.FromDays(1)
            ? ValidateOptionsResult.Fail($"Worker:Interval must be between 00:00:01 and 1.00:00:00 (was {options.Interval}).")
            : ValidateOptionsResult.Success;
}
