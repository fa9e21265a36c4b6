using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Signals;

namespace SleepScoring.Rendering.ModelImage;

/// <summary>
/// A stretch of a night's derivations held for cutting epochs: samples [<see cref="Start"/>, …) of
/// each derivation (as many as <see cref="Load"/> read), and each derivation's full length, so
/// that an epoch near the end is cut and padded as from the whole signal. A scorer loads one batch
/// of epochs (with the views' context on each side) at a time from derivations kept in files; a
/// night in arrays is one window over everything (<see cref="Whole"/>).
/// </summary>
public sealed class DerivationWindow
{
    private DerivationWindow(float[][] samples, long start, long[] lengths)
    {
        Samples = samples;
        Start = start;
        Lengths = lengths;
    }

    /// <summary>Derivation d's samples from <see cref="Start"/>.</summary>
    public float[][] Samples { get; }

    /// <summary>The sample (of every derivation) at index 0 of <see cref="Samples"/>.</summary>
    public long Start { get; private set; }

    /// <summary>Each derivation's length in the night.</summary>
    public long[] Lengths { get; }

    /// <summary>Number of derivations.</summary>
    public int Count => Samples.Length;

    /// <summary>A night held in arrays: the window is all of it.</summary>
    public static DerivationWindow Whole(float[][] derivations)
    {
        ArgumentNullException.ThrowIfNull(derivations);
        return new DerivationWindow(derivations, 0, [.. derivations.Select(d => d.LongLength)]);
    }

    /// <summary>An empty window over <paramref name="signals"/> with room for <paramref name="epochs"/> epochs and their context.</summary>
    public static DerivationWindow For(IReadOnlyList<SampleStore<float>> signals, int epochs)
    {
        ArgumentNullException.ThrowIfNull(signals);
        int capacity = (epochs * ConditionedEpoch.Samples) + (2 * TraceView.ContextSamples);
        return new DerivationWindow([.. signals.Select(_ => new float[capacity])], 0, [.. signals.Select(b => b.Length)]);
    }

    /// <summary>
    /// Reads epochs [<paramref name="firstEpoch"/>, firstEpoch + <paramref name="epochs"/>) with the views' context from <paramref name="signals"/>,
    /// as many as the window was made for; they may be other stores than the last load's (another
    /// presentation of the same night: a silent slot, a filtered copy), whose lengths the window takes.
    /// </summary>
    public void Load(IReadOnlyList<SampleStore<float>> signals, int firstEpoch, int epochs)
    {
        ArgumentNullException.ThrowIfNull(signals);
        if (signals.Count != Samples.Length)
        {
            throw new ArgumentException($"The window holds {Samples.Length} derivations; {signals.Count} were given.", nameof(signals));
        }

        long from = ((long)firstEpoch * ConditionedEpoch.Samples) - TraceView.ContextSamples;
        long to = ((long)(firstEpoch + epochs) * ConditionedEpoch.Samples) + TraceView.ContextSamples;
        Start = Math.Max(0, from);
        for (int d = 0; d < signals.Count; d++)
        {
            Lengths[d] = signals[d].Length;
            long end = Math.Min(to, Lengths[d]);
            if (end - Start > Samples[d].Length)
            {
                throw new ArgumentOutOfRangeException(nameof(epochs), epochs, $"The window holds {Samples[d].Length} samples; {epochs} epochs with their context need {end - Start}.");
            }

            if (end > Start) // nothing of a derivation that ends before the window (or is empty: a silent slot)
            {
                signals[d].Read(Start, Samples[d].AsSpan(0, (int)(end - Start)));
            }
        }
    }

    /// <summary>Samples [<paramref name="from"/>, from + <paramref name="count"/>) of derivation <paramref name="d"/>, which the window must hold.</summary>
    public ReadOnlySpan<float> Slice(int d, long from, int count)
    {
        if (count == 0)
        {
            return [];
        }

        if (from < Start || from + count > Start + Samples[d].Length)
        {
            throw new ArgumentOutOfRangeException(nameof(from), from, $"Samples [{from}, {from + count}) of derivation {d} are not in the window [{Start}, {Start + Samples[d].Length}).");
        }

        return Samples[d].AsSpan((int)(from - Start), count);
    }
}
