namespace SleepScoring.Analysis.Signals;

/// <summary>
/// Spectral subtraction of a stationary noise floor, against broadband noise that a low-pass can only
/// remove together with the EEG beneath it: short-time spectra of a whole recording (≈ 2.56-s √Hann frames,
/// half-frame hops), per frequency bin from <see cref="FromHz"/> up a quantile of the smoothed power over the
/// recording taken as the floor, every frame's power reduced by <see cref="OverSubtraction"/> times that
/// floor (never below <see cref="Floor"/> of its own), and the signal resynthesised by overlap-add. Bins
/// below <see cref="FromHz"/> pass unchanged; with none to reduce the signal comes back as it was. The
/// floor is a whole-recording statistic, so the whole signal is read.
/// </summary>
/// <param name="FromHz">Lowest frequency whose bins are reduced.</param>
/// <param name="OverSubtraction">Factor on the floor taken away.</param>
/// <param name="Floor">Smallest share of a bin's power kept.</param>
/// <param name="Quantile">Quantile of the smoothed power over the recording taken as the floor.</param>
public sealed record NoiseFloorSubtraction(double FromHz, double OverSubtraction = 1.5, double Floor = 0.05, double Quantile = 0.5)
{
    /// <summary><paramref name="samples"/> at <paramref name="rate"/> Hz with the floor taken away (a new array).</summary>
    public float[] Apply(ReadOnlySpan<float> samples, double rate)
    {
        using var source = new MemoryStore<float>(samples.ToArray());
        using var destination = new MemoryStore<float>(samples.Length);
        Apply(source, destination, rate);
        return destination.ToArray();
    }

    /// <summary>
    /// <paramref name="source"/> at <paramref name="rate"/> Hz with the floor taken away, written to <paramref name="destination"/>
    /// (as long). Read a frame at a time, twice, and written a half frame at a time: besides the frames, only the reduced
    /// bins' smoothed power is held (about 1 MB per hour at 100 Hz), so a night kept in files stays there.
    /// </summary>
    public void Apply(SampleStore<float> source, SampleStore<float> destination, double rate)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Length != source.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} samples, not the source's {source.Length}.", nameof(destination));
        }

        int size = 4;
        while (size < 2 * rate)
        {
            size *= 2;
        }

        int hop = size / 2, bins = (size / 2) + 1;
        long length = source.Length;
        int from = Math.Max(0, (int)Math.Ceiling(FromHz * size / rate));
        if (length < size || from >= bins)
        {
            source.CopyTo(destination);
            return;
        }

        int width = bins - from;
        RealFft fft = RealFft.ForSize(size);
        double[] window = new double[size];
        for (int n = 0; n < size; n++)
        {
            // √Hann at analysis and synthesis: their product, a periodic Hann, sums to 1 at half-frame hops.
            window[n] = Math.Sqrt(0.5 - (0.5 * Math.Cos(2 * Math.PI * n / size)));
        }

        // Frames start half a frame before the signal so every sample lies under two of them.
        int frames = (int)(((length + size) / hop) + 1);
        var re = new double[bins];
        var im = new double[bins];
        var frame = new double[size];
        var read = new float[size];
        long Start(int t) => ((long)t * hop) - hop;
        void Transform(int t)
        {
            long start = Start(t), first = Math.Max(0, start), end = Math.Min(length, start + size);
            Array.Clear(frame);
            if (end > first)
            {
                Span<float> part = read.AsSpan(0, (int)(end - first));
                source.Read(first, part);
                for (int i = 0; i < part.Length; i++)
                {
                    int n = (int)(first - start) + i;
                    frame[n] = part[i] * window[n];
                }
            }

            fft.Forward(frame, re, im);
        }

        // Power smoothed over 3 bins as each frame is transformed, then over 3 frames (a ring of the last three
        // rows): the mean over the 3 × 3 neighbourhood, as a single periodogram value scatters by its own size.
        var smooth = new float[(long)frames * width];
        var rows = new float[3][];
        for (int r = 0; r < 3; r++)
        {
            rows[r] = new float[width];
        }

        void SmoothFrame(int t)
        {
            int first = Math.Max(0, t - 1), last = Math.Min(frames - 1, t + 1);
            for (int k = 0; k < width; k++)
            {
                float sum = 0;
                for (int tt = first; tt <= last; tt++)
                {
                    sum += rows[tt % 3][k];
                }

                smooth[((long)t * width) + k] = sum / (last - first + 1);
            }
        }

        for (int t = 0; t < frames; t++)
        {
            Transform(t);
            float[] row = rows[t % 3];
            for (int k = from; k < bins; k++)
            {
                double sum = 0;
                int count = 0;
                for (int kk = Math.Max(0, k - 1); kk <= Math.Min(bins - 1, k + 1); kk++)
                {
                    sum += (re[kk] * re[kk]) + (im[kk] * im[kk]);
                    count++;
                }

                row[k - from] = (float)(sum / count);
            }

            if (t > 0)
            {
                SmoothFrame(t - 1);
            }
        }

        SmoothFrame(frames - 1);

        var floor = new double[width];
        var column = new float[frames];
        int rank = Math.Clamp((int)(Quantile * (frames - 1)), 0, frames - 1);
        for (int k = 0; k < width; k++)
        {
            for (int t = 0; t < frames; t++)
            {
                column[t] = smooth[((long)t * width) + k];
            }

            floor[k] = Conditioning.EpochAmplitude.Select(column, rank);
        }

        // Overlap-add a half frame at a time: once frame t is added, the first half of its span is final.
        var back = new double[size];
        var pending = new float[hop];
        var done = new float[hop];
        void Write(long start, ReadOnlySpan<float> values)
        {
            long first = Math.Max(0, start), end = Math.Min(length, start + values.Length);
            if (end > first)
            {
                destination.Write(first, values.Slice((int)(first - start), (int)(end - first)));
            }
        }

        for (int t = 0; t < frames; t++)
        {
            Transform(t);
            for (int k = from; k < bins; k++)
            {
                double s = smooth[((long)t * width) + k - from];
                double gain = s > 0 ? Math.Sqrt(Math.Max(Floor, 1 - (OverSubtraction * floor[k - from] / s))) : 1;
                re[k] *= gain;
                im[k] *= gain;
            }

            fft.Inverse(re, im, back);
            for (int n = 0; n < hop; n++)
            {
                done[n] = pending[n] + (float)(back[n] * window[n]);
                pending[n] = (float)(back[hop + n] * window[hop + n]);
            }

            Write(Start(t), done);
        }

        Write(Start(frames - 1) + hop, pending);
    }
}
