using SleepScoring.Analysis;

using static TorchSharp.torch;

namespace SleepScoring.Training.Data;

/// <summary>A reference to one epoch: night number in the dataset and position in that night.</summary>
public readonly record struct EpochRef(int Night, int Position);

/// <summary>
/// Nights of epoch images of one geometry, with the scored epochs addressable as
/// <see cref="EpochRef"/>s and batched into tensors. Subsets are taken by subject. With
/// <see cref="SleepPeriodOnly"/>, only scored epochs within each night's sleep period ± 30 min of
/// wake are samples (Sleep-EDF nights carry hours of wake that would otherwise dominate); the
/// nights keep every epoch, so windows still see their neighbours.
/// </summary>
public sealed class EpochDataset
{
    private readonly NightImages[] nights;
    private readonly EpochRef[] scored;

    /// <summary>Builds a dataset; every night must have the same image geometry.</summary>
    public EpochDataset(IEnumerable<NightImages> nights, bool sleepPeriodOnly = false)
    {
        SleepPeriodOnly = sleepPeriodOnly;
        ArgumentNullException.ThrowIfNull(nights);
        this.nights = nights.ToArray();
        if (this.nights.Length == 0)
        {
            throw new ArgumentException("A dataset needs at least one night.", nameof(nights));
        }

        (Height, Width) = (this.nights[0].Height, this.nights[0].Width);
        foreach (NightImages night in this.nights)
        {
            if (night.Height != Height || night.Width != Width)
            {
                throw new ArgumentException($"Night {night.SubjectId}/{night.NightId} has {night.Height}×{night.Width} images; the dataset's are {Height}×{Width}.", nameof(nights));
            }
        }

        var refs = new List<EpochRef>();
        for (int n = 0; n < this.nights.Length; n++)
        {
            ReadOnlySpan<SleepStage> stages = this.nights[n].Stages;
            ReadOnlySpan<int> epochs = this.nights[n].EpochIndices;
            (int First, int Last)? window = sleepPeriodOnly ? Baseline.SleepPeriod.Window(epochs, stages) : (int.MinValue, int.MaxValue);
            if (window is not (int first, int last))
            {
                continue;
            }

            for (int p = 0; p < stages.Length; p++)
            {
                if (IsScored(stages[p]) && epochs[p] >= first && epochs[p] <= last)
                {
                    refs.Add(new EpochRef(n, p));
                }
            }
        }

        scored = [.. refs];
    }

    /// <summary>True when only sleep-period epochs (± 30 min of wake) are samples.</summary>
    public bool SleepPeriodOnly { get; }

    /// <summary>Image height.</summary>
    public int Height { get; }

    /// <summary>Image width.</summary>
    public int Width { get; }

    /// <summary>The nights.</summary>
    public IReadOnlyList<NightImages> Nights => nights;

    /// <summary>The sample epochs: scored (W, N1, N2, N3, R), within the sleep period when asked, night by night in time order.</summary>
    public IReadOnlyList<EpochRef> ScoredEpochs => scored;

    /// <summary>Distinct subject ids.</summary>
    public IEnumerable<string> Subjects => nights.Select(n => n.SubjectId).Distinct(StringComparer.Ordinal);

    /// <summary>The nights of the given subjects.</summary>
    public EpochDataset ForSubjects(IEnumerable<string> subjects)
    {
        var wanted = new HashSet<string>(subjects, StringComparer.Ordinal);
        return new EpochDataset(nights.Where(n => wanted.Contains(n.SubjectId)), SleepPeriodOnly);
    }

    /// <summary>Counts of the sample epochs per stage W, N1, N2, N3, R.</summary>
    public long[] StageCounts()
    {
        var counts = new long[5];
        foreach (EpochRef epoch in scored)
        {
            counts[(int)nights[epoch.Night].Stages[epoch.Position]]++;
        }

        return counts;
    }

    /// <summary>The stage of one epoch.</summary>
    public SleepStage Stage(EpochRef epoch) => nights[epoch.Night].Stages[epoch.Position];

    /// <summary>Images of <paramref name="epochs"/> as a uint8 tensor [N, H, W].</summary>
    public Tensor Images(ReadOnlySpan<EpochRef> epochs)
    {
        int size = Height * Width;
        var buffer = new byte[epochs.Length * size];
        for (int i = 0; i < epochs.Length; i++)
        {
            nights[epochs[i].Night].Image(epochs[i].Position).CopyTo(buffer.AsSpan(i * size, size));
        }

        return tensor(buffer, [epochs.Length, Height, Width]);
    }

    /// <summary>Stage indices of <paramref name="epochs"/> as an int64 tensor [N].</summary>
    public Tensor Targets(ReadOnlySpan<EpochRef> epochs)
    {
        var targets = new long[epochs.Length];
        for (int i = 0; i < epochs.Length; i++)
        {
            targets[i] = (long)Stage(epochs[i]);
        }

        return tensor(targets);
    }

    /// <summary>True for the five stages the model predicts.</summary>
    public static bool IsScored(SleepStage stage) => stage <= SleepStage.R;
}
