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
        if (length < size)
        {
            return samples.ToArray();
        }

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

        var power = new float[(long)frames * bins];
        for (int t = 0; t < frames; t++)
        {
            Transform(t, samples);
            for (int k = 0; k < bins; k++)
            {
                power[((long)t * bins) + k] = (float)((re[k] * re[k]) + (im[k] * im[k]));
            }
        }

        // Smoothed power, the mean over 3 frames × 3 bins: a single periodogram value scatters by its own
        // size, so neither the floor nor a frame's gain is taken from one.
        var smooth = new float[power.LongLength];
        for (int t = 0; t < frames; t++)
        {
            for (int k = 0; k < bins; k++)
            {
                double sum = 0;
                int count = 0;
                for (int tt = Math.Max(0, t - 1); tt <= Math.Min(frames - 1, t + 1); tt++)
                {
                    for (int kk = Math.Max(0, k - 1); kk <= Math.Min(bins - 1, k + 1); kk++)
                    {
                        sum += power[((long)tt * bins) + kk];
                        count++;
                    }
                }

                smooth[((long)t * bins) + k] = (float)(sum / count);
            }
        }

        int from = Math.Clamp((int)Math.Ceiling(FromHz * size / rate), 0, bins);
        var floor = new double[bins];
        var column = new float[frames];
        for (int k = from; k < bins; k++)
        {
            for (int t = 0; t < frames; t++)
            {
                column[t] = smooth[((long)t * bins) + k];
            }

            Array.Sort(column);
            floor[k] = column[Math.Clamp((int)(Quantile * (frames - 1)), 0, frames - 1)];
        }

        var output = new double[length];
        var back = new double[size];
        for (int t = 0; t < frames; t++)
        {
            Transform(t, samples);
            for (int k = from; k < bins; k++)
            {
                double s = smooth[((long)t * bins) + k];
                double gain = s > 0 ? Math.Sqrt(Math.Max(Floor, 1 - (OverSubtraction * floor[k] / s))) : 1;
                re[k] *= gain;
                im[k] *= gain;
            }

            fft.Inverse(re, im, back);
            long start = ((long)t * hop) - hop;
            for (int n = 0; n < size; n++)
            {
                long i = start + n;
                if (i >= 0 && i < length)
                {
                    output[i] += back[n] * window[n];
                }
            }
        }

        return [.. output.Select(v => (float)v)];
    }
}
