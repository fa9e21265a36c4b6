using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SleepScoring.Lab.Bench;

/// <summary>
/// CPU time consumed by the calling thread (Linux: clock_gettime(CLOCK_THREAD_CPUTIME_ID), ns
/// resolution). Unlike the wall clock it does not count the time other processes hold the core,
/// so "images per CPU-second" is what one core would render on its own, even on a busy machine.
/// Elsewhere it falls back to the wall clock.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>True when <see cref="Now"/> measures thread CPU time rather than wall time.</summary>
    public static bool IsThreadCpuTime { get; } = OperatingSystem.IsLinux() && TryRead(out _);

    /// <summary>The calling thread's CPU time so far (or the wall clock; see <see cref="IsThreadCpuTime"/>).</summary>
    public static TimeSpan Now => IsThreadCpuTime && TryRead(out TimeSpan time) ? time : Stopwatch.GetElapsedTime(0);

    private static bool TryRead(out TimeSpan time)
    {
        time = TimeSpan.Zero;
        try
        {
            if (ClockGetTime(ClockThreadCpuTimeId, out TimeSpec spec) != 0)
            {
                return false;
            }

            time = TimeSpan.FromTicks((spec.Seconds * TimeSpan.TicksPerSecond) + (spec.Nanoseconds / 100));
            return true;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    // DllImport rather than LibraryImport: the struct is blittable, and LibraryImport would need unsafe code in the CLI project.
    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
