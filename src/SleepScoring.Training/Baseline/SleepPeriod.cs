using SleepScoring.Analysis;

namespace SleepScoring.Training.Baseline;

/// <summary>
/// The usual Sleep-EDF evaluation window: from 30 min (60 epochs) before the first sleep epoch to
/// 30 min after the last one, in epoch indices from the recording start.
/// </summary>
public static class SleepPeriod
{
    /// <summary>Epochs of wake kept on each side of the sleep period (30 min).</summary>
    public const int WakeMarginEpochs = 60;

    /// <summary>
    /// Inclusive [first, last] epoch-index range of the window, or null when the night holds no
    /// sleep epoch at all.
    /// </summary>
    public static (int First, int Last)? Window(ReadOnlySpan<int> epochs, ReadOnlySpan<SleepStage> stages)
    {
        int first = int.MaxValue, last = int.MinValue;
        for (int i = 0; i < stages.Length; i++)
        {
            if (stages[i] is SleepStage.N1 or SleepStage.N2 or SleepStage.N3 or SleepStage.R)
            {
                first = Math.Min(first, epochs[i]);
                last = Math.Max(last, epochs[i]);
            }
        }

        return first == int.MaxValue ? null : (first - WakeMarginEpochs, last + WakeMarginEpochs);
    }
}