using System.Runtime.InteropServices;

using SleepScoring.Inference.Scoring;
using SleepScoring.Lab.Bench;

namespace SleepScoring.Lab.Tests.Bench;

// Resident memory is per process: run alone, or another test's allocations blur the step peaks.
[Collection(MemoryMeasurement.Name)]
public sealed class StepPeaksTests
{
    private const long Block = 96L << 20;

    [SkippableFact]
    public void Peak_of_a_step_sees_memory_touched_in_it_and_the_next_step_starts_afresh()
    {
        Skip.IfNot(ProcessMemory.Supported && ProcessMemory.ResetPeak(), "needs Linux /proc/self/clear_refs");
        var peaks = new StepPeaks();

        peaks.Report(new ScoringProgress("first", 0));
        long before = ProcessMemory.Resident;
        TouchAndFree(Block); // 96 MB resident for a moment, then returned to the kernel (one mmap)
        peaks.Report(new ScoringProgress("first", 0.5)); // same step: not a new one
        peaks.Report(new ScoringProgress("second", 0.6));
        peaks.Report(new ScoringProgress("third", 0.9));
        peaks.Finish();

        Assert.Equal(["first", "second", "third"], peaks.Steps.Select(s => s.Stage));
        Assert.True(peaks.Steps[0].Peak >= before + (Block * 9 / 10), $"first step peak {peaks.Steps[0].Peak} < {before} + 96 MB");
        Assert.True(peaks.Steps[1].Peak < peaks.Steps[0].Peak - (Block / 2), "the second step's peak must not include the first step's block");
        Assert.Equal(peaks.Steps.Max(s => s.Peak), peaks.Peak);
    }

    private static void TouchAndFree(long bytes)
    {
        IntPtr block = Marshal.AllocHGlobal((nint)bytes);
        try
        {
            for (long at = 0; at < bytes; at += 4096)
            {
                Marshal.WriteByte(block, (int)at, 1);
            }
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
    }
}
