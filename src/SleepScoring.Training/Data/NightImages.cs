using SleepScoring.Analysis;

namespace SleepScoring.Training.Data;

/// <summary>
/// All epoch images of one night, held compactly: one byte[] of Count × Height × Width pixels
/// (epoch i at offset i·H·W), with each epoch's stage and its index from the recording start.
/// Epochs are consecutive in time; unscored ones carry <see cref="SleepStage.Unscored"/>.
/// </summary>
public sealed class NightImages
{
    private readonly byte[] pixels;
    private readonly SleepStage[] stages;
    private readonly int[] epochIndices;

    /// <summary>Wraps the arrays (not copied); throws when their sizes disagree.</summary>
    public NightImages(string subjectId, int nightId, int height, int width, byte[] pixels, SleepStage[] stages, int[] epochIndices)
    {
        ArgumentException.ThrowIfNullOrEmpty(subjectId);
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentNullException.ThrowIfNull(epochIndices);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (stages.Length != epochIndices.Length || (long)stages.Length * height * width != pixels.Length)
        {
            throw new ArgumentException($"Night {subjectId}/{nightId}: {stages.Length} stages, {epochIndices.Length} epoch indices and {pixels.Length} pixels do not describe the same epochs of {height}×{width} pixels.", nameof(pixels));
        }

        SubjectId = subjectId;
        NightId = nightId;
        Height = height;
        Width = width;
        this.pixels = pixels;
        this.stages = stages;
        this.epochIndices = epochIndices;
    }

    /// <summary>The subject (person) this night belongs to; splits are by subject.</summary>
    public string SubjectId { get; }

    /// <summary>Night number of the subject.</summary>
    public int NightId { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Epochs in the night.</summary>
    public int Count => stages.Length;

    /// <summary>Stages of the epochs, in time order.</summary>
    public ReadOnlySpan<SleepStage> Stages => stages;

    /// <summary>Index of each epoch from the recording start.</summary>
    public ReadOnlySpan<int> EpochIndices => epochIndices;

    /// <summary>The pixels of epoch <paramref name="position"/> (row-major, H × W).</summary>
    public ReadOnlySpan<byte> Image(int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position, Count);
        int size = Height * Width;
        return pixels.AsSpan(position * size, size);
    }
}
