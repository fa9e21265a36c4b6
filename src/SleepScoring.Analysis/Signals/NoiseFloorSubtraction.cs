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
        int size = 4;
        while (size < 2 * rate)
        {
            size *= 2;
        }

        int hop = size / 2, bins = (size / 2) + 1, length = samples.Length;
        int from = Math.Max(0, (int)Math.Ceiling(FromHz * size / rate));
        if (length < size || from >= bins)
        {
            return samples.ToArray();
        }

        // Only the reduced bins and their lower neighbour (for the smoothing) are kept: lo … bins − 1.
        int lo = Math.Max(0, from - 1), width = bins - lo;
        RealFft fft = RealFft.ForSize(size);
        double[] window = new double[size];
        for (int n = 0; n < size; n++)
        {
            // √Hann at analysis and synthesis: their product, a periodic Hann, sums to 1 at half-frame hops.
            window[n] = Math.Sqrt(0.5 - (0.5 * Math.Cos(2 * Math.PI * n / size)));
        }

        // Frames start half a frame before the signal so every sample lies under two of them.
        int frames = ((length + size) / hop) + 1;
        var re = new double[bins];
        var im = new double[bins];
        var frame = new double[size];
        void Transform(int t, ReadOnlySpan<float> x)
        {
            long start = ((long)t * hop) - hop;
            for (int n = 0; n < size; n++)
            {
                long i = start + n;
                frame[n] = i >= 0 && i < length ? x[(int)i] * window[n] : 0;
            }

            fft.Forward(frame, re, im);
        }

        // Power smoothed over 3 bins (each frame as it is transformed), then over 3 frames: the mean over the
        // 3 × 3 neighbourhood, as a single periodogram value scatters by its own size.
        var acrossBins = new float[(long)frames * width];
        for (int t = 0; t < frames; t++)
        {
            Transform(t, samples);
            Span<float> row = acrossBins.AsSpan(t * width, width);
            for (int k = from; k < bins; k++)
            {
                double sum = 0;
                int count = 0;
                for (int kk = Math.Max(0, k - 1); kk <= Math.Min(bins - 1, k + 1); kk++)
                {
                    sum += (re[kk] * re[kk]) + (im[kk] * im[kk]);
                    count++;
                }

                row[k - lo] = (float)(sum / count);
            }
        }

        var smooth = new float[acrossBins.LongLength];
        for (int t = 0; t < frames; t++)
        {
            int first = Math.Max(0, t - 1), last = Math.Min(frames - 1, t + 1);
            for (int k = from - lo; k < width; k++)
            {
                float sum = 0;
                for (int tt = first; tt <= last; tt++)
                {
                    sum += acrossBins[(tt * width) + k];
                }

                smooth[(t * width) + k] = sum / (last - first + 1);
            }
        }

        var floor = new double[width];
        var column = new float[frames];
        int rank = Math.Clamp((int)(Quantile * (frames - 1)), 0, frames - 1);
        for (int k = from - lo; k < width; k++)
        {
            for (int t = 0; t < frames; t++)
            {
                column[t] = smooth[(t * width) + k];
            }

            floor[k] = Conditioning.EpochAmplitude.Select(column, rank);
        }

        var output = new float[length];
        var back = new double[size];
        for (int t = 0; t < frames; t++)
        {
            Transform(t, samples);
            for (int k = from; k < bins; k++)
            {
                double s = smooth[(t * width) + k - lo];
                double gain = s > 0 ? Math.Sqrt(Math.Max(Floor, 1 - (OverSubtraction * floor[k - lo] / s))) : 1;
                re[k] *= gain;
                im[k] *= gain;
            }

            fft.Inverse(re, im, back);
            long start = ((long)t * hop) - hop;
            for (int n = Math.Max(0, (int)-start); n < size && start + n < length; n++)
            {
                output[start + n] += (float)(back[n] * window[n]);
            }
        }

        return output;
    }
}
