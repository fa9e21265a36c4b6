using System.Globalization;

namespace SleepScoring.Lab.Bench;

/// <summary>
/// A process's resident memory from Linux's /proc/&lt;pid&gt;/status, with a resettable peak (writing
/// 5 to /proc/&lt;pid&gt;/clear_refs sets VmHWM back to the current resident size), so a benchmark can
/// report the peak of one step rather than of everything the process did before it. The static
/// members are this process's; <see cref="Of"/> reads another one (e.g. the service under load).
/// </summary>
internal sealed class ProcessMemory
{
    private static readonly ProcessMemory Self = new("self");

    private readonly string status;
    private readonly string clearRefs;

    private ProcessMemory(string process)
    {
        status = $"/proc/{process}/status";
        clearRefs = $"/proc/{process}/clear_refs";
    }

    /// <summary>True when this process's peak can be read and reset (Linux).</summary>
    public static bool Supported => Self.CanReset;

    /// <summary>This process's resident bytes now (VmRSS), or 0 when unsupported.</summary>
    public static long Resident => Self.ResidentNow;

    /// <summary>This process's peak resident bytes since start or the last <see cref="ResetPeak"/> (VmHWM), or 0 when unsupported.</summary>
    public static long Peak => Self.PeakSinceReset;

    /// <summary>True when the process's peak can be read and reset.</summary>
    public bool CanReset => File.Exists(status) && File.Exists(clearRefs);

    /// <summary>Resident bytes now (VmRSS), or 0 when unreadable.</summary>
    public long ResidentNow => Field("VmRSS:");

    /// <summary>Peak resident bytes since start or the last reset (VmHWM), or 0 when unreadable.</summary>
    public long PeakSinceReset => Field("VmHWM:");

    /// <summary>The memory of process <paramref name="pid"/> (its owner, or root, may reset its peak).</summary>
    public static ProcessMemory Of(int pid) => new(pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>Starts a new peak of this process at its current resident size; false when the kernel refuses.</summary>
    public static bool ResetPeak() => Self.Reset();

    /// <summary>Starts a new peak at the current resident size; false when the kernel refuses.</summary>
    public bool Reset()
    {
        if (!CanReset)
        {
            return false;
        }

        try
        {
            File.WriteAllText(clearRefs, "5");
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

    private long Field(string name)
    {
        if (!File.Exists(status))
        {
            return 0;
        }

        foreach (string line in File.ReadLines(status))
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
