namespace SleepScoring.Training.Training;

/// <summary>
/// Training-time variation of stage-1 epoch images along time, which the stage does not depend
/// on: with probability ½ the epoch is reversed in time (every strip's columns mirrored), and it is
/// shifted by up to <see cref="MaxShift"/> columns (the columns shifted in repeat the edge column).
/// Each sample's choice is a pure function of (seed, pass, sample), so a resumed run draws exactly
/// what an uninterrupted one does. The encoder's images reached 0.2 training loss against a
/// validation macro-F1 near 0.65: it memorises epochs, and these variants cost no data.
/// </summary>
/// <param name="Seed">Seed of the choices.</param>
/// <param name="MaxShift">Largest shift in columns either way (0: reversal only).</param>
public sealed record TimeAugmentation(ulong Seed, int MaxShift = TimeAugmentation.DefaultShift)
{
    /// <summary>
    /// The shipped shift limit: 10 columns = 1 s, half a patch. With reversal, on the two weakest
    /// cross-validation folds accuracy rose from 73.6 to 77.4 % and from 72.7 to 76.9 %.
    /// </summary>
    public const int DefaultShift = 10;

    /// <summary>Applies each sample's variant in place: <paramref name="pixels"/> holds samples of <paramref name="height"/> × <paramref name="width"/> bytes.</summary>
    public void Apply(Span<byte> pixels, ReadOnlySpan<int> samples, int pass, int height, int width)
    {
        int size = height * width;
        Span<byte> row = width <= 4096 ? stackalloc byte[width] : new byte[width];
        for (int i = 0; i < samples.Length; i++)
        {
            var random = new SeededRandom(Seed ^ ((ulong)(uint)pass << 32) ^ (uint)samples[i]);
            random.NextUInt64(); // decorrelate neighbouring seeds
            bool reverse = random.NextInt(2) == 1;
            int shift = MaxShift == 0 ? 0 : random.NextInt((2 * MaxShift) + 1) - MaxShift;
            if (!reverse && shift == 0)
            {
                continue;
            }

            Span<byte> image = pixels.Slice(i * size, size);
            for (int r = 0; r < height; r++)
            {
                Span<byte> line = image.Slice(r * width, width);
                line.CopyTo(row);
                for (int x = 0; x < width; x++)
                {
                    int source = Math.Clamp(x - shift, 0, width - 1);
                    line[x] = row[reverse ? width - 1 - source : source];
                }
            }
        }
    }
}
