using TorchSharp;

namespace SleepScoring.Training.Training;

/// <summary>Process-wide TorchSharp settings: intra-op threads and the global seed.</summary>
public static class TorchRuntime
{
    /// <summary>
    /// Sets torch's intra-op threads (default: the core count) and, when given, seeds torch's
    /// generator so weight initialisation and dropout repeat.
    /// </summary>
    public static void Configure(int? threads = null, long? seed = null)
    {
        int count = threads ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count, nameof(threads));
        torch.set_num_threads(count);
        if (seed is long value)
        {
            torch.manual_seed(value);
        }
    }
}
