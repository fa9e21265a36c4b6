using SleepScoring.Analysis.Signals;

namespace SleepScoring.Synthesis;

/// <summary>
/// Synthesises one channel-epoch of EEG-like signal whose Welch features match a target. A
/// 4096-sample segment (40.96 s at 100 Hz) is built with the 30-s epoch in its middle, so the
/// margins can be cross-faded with the neighbours: (1) random Gaussian Fourier coefficients
/// shaped by <see cref="SpectralTemplate"/>; (2) a slow amplitude envelope (waxing and waning);
/// (3) feature-driven bursts (<see cref="BurstGenerator"/>); (4) a few correction rounds that
/// measure the epoch's Welch features and rescale each band, the sub-delta power (variance) and
/// the beta/gamma tilt (mobility) in the FFT domain. Only features are read — never a stage.
/// </summary>
public sealed class EpochSynthesizer
{
    /// <summary>Output sampling rate in Hz: Sleep-EDF's, whose spectra the surrogates reproduce.</summary>
    public const double SamplingRate = 100;

    /// <summary>Samples per 30-s epoch at <see cref="SamplingRate"/>.</summary>
    public const int EpochSamples = (int)(Analysis.Staging.Hypnogram.StandardEpochSeconds * SamplingRate);

    /// <summary>Samples per synthesised segment (epoch plus margins).</summary>
    public const int SegmentLength = 4096;

    /// <summary>Offset of the epoch's first sample inside the segment.</summary>
    public const int Margin = (SegmentLength - EpochSamples) / 2;

    private const int MaxRounds = 6;
    private const double BandTolerance = 0.004; // |log10 ratio|: 1 %
    private const double MobilityTolerance = 0.005;

    private readonly FeatureExtractor _extractor = new(SamplingRate);
    private readonly SpectralRegions _regions;
    private readonly RealFft _fft = RealFft.ForSize(SegmentLength);

    /// <summary>Creates a synthesiser (not thread-safe: use one per thread).</summary>
    public EpochSynthesizer() => _regions = new SpectralRegions(SegmentLength, SamplingRate, _extractor.Welch);

    /// <summary>Correction rounds used by the last call (for diagnostics).</summary>
    public int LastRounds { get; private set; }

    /// <summary>
    /// Returns a <see cref="SegmentLength"/>-sample segment (µV) whose samples
    /// [<see cref="Margin"/>, <see cref="Margin"/> + <see cref="EpochSamples"/>) have the target features.
    /// </summary>
    /// <exception cref="ArgumentException">A target feature is not finite and positive.</exception>
    public double[] Synthesize(in EpochFeatures target, ref Xoshiro256 rng)
    {
        Validate(target);
        int half = (SegmentLength / 2) + 1;
        double[] re = new double[half];
        double[] im = new double[half];
        double[] template = new double[half];
        SpectralTemplate.Build(_regions, target, template);

        // |X_k|² = S(f)·df·N²/2 gives each bin pair the variance S(f)·df.
        double df = _regions.Resolution;
        for (int k = 1; k < half - 1; k++)
        {
            double sd = Math.Sqrt(template[k] * df * SegmentLength * SegmentLength / 4);
            re[k] = sd * rng.NextGaussian();
            im[k] = sd * rng.NextGaussian();
        }

        double[] signal = new double[SegmentLength];
        _fft.Inverse(re, im, signal);
        ApplyEnvelope(signal, ref rng);
        BurstGenerator.Add(target, signal, SamplingRate, ref rng);
        _fft.Forward(signal, re, im);

        Correct(target, re, im, signal);
        return signal;
    }

    private void Correct(in EpochFeatures target, double[] re, double[] im, double[] signal)
    {
        int half = (SegmentLength / 2) + 1;
        double[] power = new double[half];
        double[] gains = new double[half];
        double[] tiltGains = new double[half];
        float[] epoch = new float[EpochSamples];
        Span<double> regionPower = stackalloc double[SpectralRegions.Count];
        double varianceScale = 2.0 / ((double)SegmentLength * SegmentLength);
        bool mobilityReachable = true;

        for (int round = 0; ; round++)
        {
            re[0] = im[0] = im[half - 1] = 0;
            _fft.Inverse(re, im, signal);
            for (int n = 0; n < EpochSamples; n++)
            {
                epoch[n] = (float)signal[Margin + n];
            }

            EpochFeatures measured = _extractor.Compute(epoch);
            if (round == MaxRounds || Converged(target, measured, mobilityReachable))
            {
                LastRounds = round;
                return;
            }

            for (int k = 1; k < half; k++)
            {
                power[k] = (re[k] * re[k]) + (im[k] * im[k]);
            }

            SpectralShaping.RegionPowers(_regions, power, regionPower, varianceScale);
            double predictedMobility = SpectralShaping.Mobility(_regions, power);

            // Band means: square-root gains; then the sub-delta power takes up what the variance lacks.
            double varianceAfterBands = measured.Variance;
            for (int b = 0; b < EpochFeatures.BandCount; b++)
            {
                double g = target.Band(b) / measured.Band(b);
                gains[b + 1] = g;
                varianceAfterBands += (g - 1) * regionPower[b + 1];
            }

            double subDelta = regionPower[SpectralRegions.SubDelta];
            double wantedSubDelta = Math.Max(subDelta + (target.Variance - varianceAfterBands), 0.01 * subDelta);
            gains[SpectralRegions.SubDelta] = subDelta > 0 ? wantedSubDelta / subDelta : 1;

            for (int k = 1; k < half; k++)
            {
                power[k] *= gains[_regions.RegionOf[k]];
            }

            // The spectrum predicts mobility with a small bias (finite epoch, Welch vs FFT); aim past it.
            double bias = measured.Mobility > 0 ? predictedMobility / measured.Mobility : 1;
            // Once the tilt has hit its bound the goal is out of reach: stop tilting, or the bound would compound.
            if (mobilityReachable)
            {
                mobilityReachable = SpectralShaping.MatchMobility(_regions, power, target.Mobility * bias, tiltGains);
            }
            else
            {
                Array.Fill(tiltGains, 1.0);
            }
            for (int k = 1; k < half; k++)
            {
                double g = Math.Sqrt(gains[_regions.RegionOf[k]] * tiltGains[k]);
                re[k] *= g;
                im[k] *= g;
            }
        }
    }

    private static bool Converged(in EpochFeatures target, in EpochFeatures measured, bool mobilityReachable)
    {
        for (int b = 0; b < EpochFeatures.BandCount; b++)
        {
            if (Math.Abs(Math.Log10(measured.Band(b) / target.Band(b))) > BandTolerance)
            {
                return false;
            }
        }

        return Math.Abs(Math.Log10(measured.Variance / target.Variance)) <= BandTolerance
            && (!mobilityReachable || Math.Abs((measured.Mobility / target.Mobility) - 1) <= MobilityTolerance);
    }

    /// <summary>Slow log-normal amplitude modulation (0.02–0.3 Hz), mean square 1.</summary>
    private void ApplyEnvelope(double[] signal, ref Xoshiro256 rng)
    {
        int half = (SegmentLength / 2) + 1;
        double[] er = new double[half];
        double[] ei = new double[half];
        double[] envelope = new double[SegmentLength];
        int highest = (int)(0.3 / _regions.Resolution);
        for (int k = 1; k <= highest; k++)
        {
            er[k] = rng.NextGaussian();
            ei[k] = rng.NextGaussian();
        }

        _fft.Inverse(er, ei, envelope);
        double rms = Math.Sqrt(envelope.Sum(v => v * v) / SegmentLength);
        double meanSquare = 0;
        for (int n = 0; n < SegmentLength; n++)
        {
            envelope[n] = Math.Exp(0.35 * envelope[n] / rms);
            meanSquare += envelope[n] * envelope[n];
        }

        double norm = 1 / Math.Sqrt(meanSquare / SegmentLength);
        for (int n = 0; n < SegmentLength; n++)
        {
            signal[n] *= envelope[n] * norm;
        }
    }


    private static void Validate(in EpochFeatures target)
    {
        for (int b = 0; b < EpochFeatures.BandCount; b++)
        {
            Require(target.Band(b), FrequencyBand.EegBands[b].Name);
        }

        Require(target.Variance, "variance");
        Require(target.Mobility, "hjorth_mobility");
        if (target.Mobility >= 2)
        {
            throw new ArgumentException($"Hjorth mobility {target.Mobility} is impossible (a first difference gains at most 2).", nameof(target));
        }
    }

    private static void Require(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentException($"Feature {name} must be finite and positive (got {value}).", nameof(value));
        }
    }
}
