using System.Globalization;

namespace Metrics.Bench;

/// <summary>The process's peak resident set (VmHWM), reset between stages so each stage reports its own peak.</summary>
public static class PeakMemory
{
    /// <summary>Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0 and later).</summary>
    public static void Reset()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Peak resident set since the last <see cref="Reset"/>, in MiB; 0 where /proc is not there.</summary>
    public static long PeakMiB()
    {
        if (!File.Exists("/proc/self/status"))
        {
            return 0;
        }

        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                return kb / 1024;
            }
        }

        return 0;
    }
}
