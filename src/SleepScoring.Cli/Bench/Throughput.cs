using System.Diagnostics;

namespace SleepScoring.Cli.Bench;

/// <summary>Times a per-item action on the current thread: a warm-up, then as many items as fit in the budget.</summary>
internal static class Throughput
{
    /// <summary>Items per second of <paramref name="renderOne"/> (called with 0, 1, 2, …).</summary>
    public static double ItemsPerSecond(Action<int> renderOne, TimeSpan budget, int warmUp = 50)
    {
        for (int i = 0; i < warmUp; i++)
        {
            renderOne(i);
        }

        // Runs in batches so the clock is read rarely; stops at the first batch past the budget.
        long count = 0;
        var clock = Stopwatch.StartNew();
        int batch = 16;
        while (clock.Elapsed < budget)
        {
            for (int i = 0; i < batch; i++)
            {
                renderOne((int)(count + i));
            }

            count += batch;
        }

        return count / clock.Elapsed.TotalSeconds;
    }
}
