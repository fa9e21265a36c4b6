using System.Diagnostics;

namespace SleepScoring.Lab.Bench;

/// <summary>Items per second of a per-item action on the current thread, by CPU time and by wall clock.</summary>
internal readonly record struct Throughput(double PerCpuSecond, double PerWallSecond)
{
    /// <summary>
    /// Warms up, then runs <paramref name="renderOne"/> (called with 0, 1, 2, …) in batches until the
    /// thread has used <paramref name="budget"/> of CPU time, or 20 budgets of wall time have passed.
    /// </summary>
    public static Throughput Measure(Action<int> renderOne, TimeSpan budget, int warmUp)
    {
        for (int i = 0; i < warmUp; i++)
        {
            renderOne(i);
        }

        long count = 0;
        TimeSpan cpuStart = ThreadCpuClock.Now;
        var wall = Stopwatch.StartNew();
        const int Batch = 8;
        while (ThreadCpuClock.Now - cpuStart < budget && wall.Elapsed < 20 * budget)
        {
            for (int i = 0; i < Batch; i++)
            {
                renderOne((int)(count + i));
            }

            count += Batch;
        }

        return new Throughput(count / (ThreadCpuClock.Now - cpuStart).TotalSeconds, count / wall.Elapsed.TotalSeconds);
    }

    /// <summary>The better of two measurements, figure by figure.</summary>
    public static Throughput Best(Throughput a, Throughput b) => new(Math.Max(a.PerCpuSecond, b.PerCpuSecond), Math.Max(a.PerWallSecond, b.PerWallSecond));
}
