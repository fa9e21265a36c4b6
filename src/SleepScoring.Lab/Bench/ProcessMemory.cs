using System.Globalization;

namespace SleepScoring.Lab.Bench;

/// <summary>
/// The process's resident memory from Linux's /proc/self/status, with a resettable peak (writing
/// 5 to /proc/self/clear_refs sets VmHWM back to the current resident size), so a benchmark can
/// report the peak of one step rather than of everything the process did before it.
/// </summary>
internal static class ProcessMemory
{
    private const string Status = "/proc/self/status", ClearRefs = "/proc/self/clear_refs";

    /// <summary>True when the peak can be read and reset (Linux).</summary>
    public static bool Supported => File.Exists(Status) && File.Exists(ClearRefs);

    /// <summary>Resident bytes now (VmRSS), or 0 when unsupported.</summary>
    public static long Resident => Field("VmRSS:");

    /// <summary>Peak resident bytes since start or the last <see cref="ResetPeak"/> (VmHWM), or 0 when unsupported.</summary>
    public static long Peak => Field("VmHWM:");

    /// <summary>Starts a new peak at the current resident size; false when the kernel refuses.</summary>
    public static bool ResetPeak()
    {
        if (!Supported)
        {
            return false;
        }

        try
        {
            File.WriteAllText(ClearRefs, "5");
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long Field(string name)
    {
        if (!File.Exists(Status))
        {
            return 0;
        }

        foreach (string line in File.ReadLines(Status))
        {
            if (line.StartsWith(name, StringComparison.Ordinal))
            {
                // "VmHWM:	  572780 kB"
                string[] parts = line[name.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
