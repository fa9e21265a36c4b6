using System.Buffers;

namespace SleepScoring.Analysis.Signals;

/// <summary>
/// Welch power spectral density exactly as scipy.signal.welch computes it with a periodic Hann
/// window, 50 % overlap, constant detrend per segment, density scaling, one-sided output and mean
/// averaging — the definition behind the Sleep-EDF feature tables (see the data README).
/// </summary>
public sealed class WelchPsd
{
    private readonly double[] _window;
    private readonly double _scale;
    private readonly RealFft _fft;

    /// <summary>Creates an estimator for <paramref name="samplingRate"/> Hz and segments of <paramref name="segmentLength"/> samples.</summary>
    public WelchPsd(double samplingRate = 100, int segmentLength = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samplingRate);
        _fft = RealFft.ForSize(segmentLength);
        SamplingRate = samplingRate;
        SegmentLength = segmentLength;
        _window = new double[segmentLength];
        double sumSquares = 0;
        for (int n = 0; n < segmentLength; n++)
        {
            // scipy's get_window('hann', N) is periodic (fftbins=True): divide by N, not N − 1.
            _window[n] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * n / segmentLength));
            sumSquares += _window[n] * _window[n];
        }

        _scale = 1.0 / (samplingRate * sumSquares);

        // numpy.fft.rfftfreq: k · (1 / (n · d)) with d = 1/fs, reproduced to the last bit so that
        // band edges such as 50 Hz include the same bins as scipy.
        double step = 1.0 / (segmentLength * (1.0 / samplingRate));
        Frequencies = new double[(segmentLength / 2) + 1];
        for (int k = 0; k < Frequencies.Length; k++)
        {
            Frequencies[k] = k * step;
        }
    }

    /// <summary>Sampling rate in Hz.</summary>
    public double SamplingRate { get; }

    /// <summary>Samples per segment (nperseg); the hop is half of it.</summary>
    public int SegmentLength { get; }

    /// <summary>Frequency of each output bin in Hz.</summary>
    public double[] Frequencies { get; }

    /// <summary>Computes the one-sided PSD of <paramref name="signal"/> (units²/Hz) into <paramref name="psd"/>.</summary>
    /// <exception cref="ArgumentException">The signal is shorter than one segment or the output span has the wrong length.</exception>
    public void Compute(ReadOnlySpan<float> signal, Span<double> psd)
    {
        int n = SegmentLength;
        if (signal.Length < n)
        {
            throw new ArgumentException($"Welch needs at least {n} samples; the signal has {signal.Length}.", nameof(signal));
        }

        if (psd.Length != Frequencies.Length)
        {
            throw new ArgumentException($"The PSD span must hold {Frequencies.Length} bins.", nameof(psd));
        }

        int hop = n / 2;
        int segments = ((signal.Length - n) / hop) + 1;
        int bins = psd.Length;
        double[] x = ArrayPool<double>.Shared.Rent(n);
        double[] re = ArrayPool<double>.Shared.Rent(bins);
        double[] im = ArrayPool<double>.Shared.Rent(bins);
        try
        {
            psd.Clear();
            for (int s = 0; s < segments; s++)
            {
                ReadOnlySpan<float> segment = signal.Slice(s * hop, n);
                double mean = 0;
                for (int i = 0; i < n; i++)
                {
                    mean += segment[i];
                }

                mean /= n;
                for (int i = 0; i < n; i++)
                {
                    x[i] = (segment[i] - mean) * _window[i];
                }

                _fft.Forward(x.AsSpan(0, n), re.AsSpan(0, bins), im.AsSpan(0, bins));
                for (int k = 0; k < psd.Length; k++)
                {
                    psd[k] += (re[k] * re[k]) + (im[k] * im[k]);
                }
            }

            for (int k = 0; k < psd.Length; k++)
            {
                bool edge = k == 0 || (k == psd.Length - 1 && n % 2 == 0);
                psd[k] *= _scale * (edge ? 1 : 2) / segments;
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(x);
            ArrayPool<double>.Shared.Return(re);
            ArrayPool<double>.Shared.Return(im);
        }
    }

    /// <summary>Mean PSD over the bins with Low ≤ f ≤ High.</summary>
    /// <exception cref="ArgumentException">No bin falls inside the band.</exception>
    public double BandMean(ReadOnlySpan<double> psd, FrequencyBand band)
    {
        double sum = 0;
        int count = 0;
        for (int k = 0; k < Frequencies.Length; k++)
        {
            if (Frequencies[k] >= band.Low && Frequencies[k] <= band.High)
            {
                sum += psd[k];
                count++;
            }
        }

        return count == 0
            ? throw new ArgumentException($"Band {band.Name} ({band.Low}–{band.High} Hz) holds no bin at {SamplingRate} Hz / {SegmentLength}.", nameof(band))
            : sum / count;
    }
}
