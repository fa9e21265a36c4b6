namespace SleepScoring.Analysis.Staging;

/// <summary>
/// A scored night: one <see cref="SleepStage"/> per fixed-length epoch, counted from
/// <see cref="StartTime"/> (epoch <c>i</c> covers [i·L, (i+1)·L) seconds after the start), with
/// optional per-epoch class probabilities in the model's class order (W, N1, N2, N3, R).
/// </summary>
public sealed class Hypnogram
{
    /// <summary>The AASM epoch length, 30 s.</summary>
    public const double StandardEpochSeconds = 30;

    /// <summary>The number of model classes a probability row holds (W, N1, N2, N3, R).</summary>
    public const int ClassCount = 5;

    /// <summary>
    /// The most epochs a hypnogram may hold (about 35 days of 30-s epochs): readers refuse files
    /// that would need more, so a corrupt duration cannot make them allocate without bound.
    /// </summary>
    public const int MaxEpochs = 100_000;

    private readonly SleepStage[] stages;
    private readonly float[][]? probabilities;

    /// <summary>Creates a hypnogram; the inputs are copied.</summary>
    /// <param name="stages">One stage per epoch.</param>
    /// <param name="epochSeconds">Epoch length in seconds (positive, finite).</param>
    /// <param name="startTime">Wall-clock start of epoch 0, when known.</param>
    /// <param name="probabilities">Optional: one row of <see cref="ClassCount"/> probabilities per epoch.</param>
    public Hypnogram(
        IEnumerable<SleepStage> stages,
        double epochSeconds = StandardEpochSeconds,
        DateTime? startTime = null,
        IReadOnlyList<float[]>? probabilities = null)
    {
        ArgumentNullException.ThrowIfNull(stages);
        if (!double.IsFinite(epochSeconds) || epochSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epochSeconds), epochSeconds, "The epoch length must be a positive number of seconds.");
        }

        this.stages = [.. stages];
        if (this.stages.Length > MaxEpochs)
        {
            throw new ArgumentException($"A hypnogram holds at most {MaxEpochs} epochs; got {this.stages.Length}.", nameof(stages));
        }

        for (int i = 0; i < this.stages.Length; i++)
        {
            if (!Enum.IsDefined(this.stages[i]))
            {
                throw new ArgumentException($"Epoch {i} has the undefined stage value {(int)this.stages[i]}.", nameof(stages));
            }
        }

        this.probabilities = probabilities is null ? null : CopyProbabilities(probabilities, this.stages.Length);
        EpochSeconds = epochSeconds;
        StartTime = startTime;
    }

    /// <summary>Epoch length in seconds.</summary>
    public double EpochSeconds { get; }

    /// <summary>Wall-clock time of the start of epoch 0, when the source states it.</summary>
    public DateTime? StartTime { get; }

    /// <summary>The stages, one per epoch, in time order.</summary>
    public IReadOnlyList<SleepStage> Stages => stages;

    /// <summary>The stages as a span (no copy).</summary>
    public ReadOnlySpan<SleepStage> StageSpan => stages;

    /// <summary>Number of epochs.</summary>
    public int Count => stages.Length;

    /// <summary>Total duration covered by the epochs.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds(stages.Length * EpochSeconds);

    /// <summary>Whether per-epoch probabilities are present.</summary>
    public bool HasProbabilities => probabilities is not null;

    /// <summary>The stage of epoch <paramref name="epoch"/>.</summary>
    public SleepStage this[int epoch] => stages[epoch];

    /// <summary>Seconds from the start of the hypnogram to the start of <paramref name="epoch"/>.</summary>
    public double OnsetSeconds(int epoch) => epoch * EpochSeconds;

    /// <summary>The class probabilities of <paramref name="epoch"/> (W, N1, N2, N3, R).</summary>
    /// <exception cref="InvalidOperationException">The hypnogram has no probabilities.</exception>
    public ReadOnlySpan<float> ProbabilitiesAt(int epoch) =>
        probabilities is null
            ? throw new InvalidOperationException("This hypnogram carries no probabilities.")
            : probabilities[epoch];

    /// <summary>Number of epochs scored <paramref name="stage"/>.</summary>
    public int CountOf(SleepStage stage)
    {
        int count = 0;
        foreach (SleepStage s in stages)
        {
            if (s == stage)
            {
                count++;
            }
        }

        return count;
    }

    private static float[][] CopyProbabilities(IReadOnlyList<float[]> rows, int epochs)
    {
        if (rows.Count != epochs)
        {
            throw new ArgumentException($"Expected {epochs} probability rows (one per epoch); got {rows.Count}.", nameof(rows));
        }

        var copy = new float[epochs][];
        for (int i = 0; i < epochs; i++)
        {
            float[] row = rows[i] ?? throw new ArgumentException($"Probability row {i} is null.", nameof(rows));
            if (row.Length != ClassCount)
            {
                throw new ArgumentException($"Probability row {i} holds {row.Length} values; expected {ClassCount} (W, N1, N2, N3, R).", nameof(rows));
            }

            foreach (float p in row)
            {
                if (!float.IsFinite(p) || p < 0 || p > 1)
                {
                    throw new ArgumentException($"Probability row {i} holds {p}, outside [0, 1].", nameof(rows));
                }
            }

            copy[i] = (float[])row.Clone();
        }

        return copy;
    }
}
