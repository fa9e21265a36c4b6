using SleepScoring.Analysis.Signals;

namespace SleepScoring.Training.Sites;

/// <summary>
/// One way a real site's recordings differ from the training data, applied to a study's EEG
/// signals (labels <c>EEG …</c>); other signals are kept. Deterministic: noise comes from a seed
/// and the study's signal order.
/// </summary>
/// <param name="Name">Short name used on the command line and in the table, e.g. <c>gain-2</c>.</param>
/// <param name="Description">What a site does that looks like this.</param>
public abstract record SiteShift(string Name, string Description)
{
    /// <summary>The study as that site would have recorded it.</summary>
    public abstract RecordedStudy Apply(RecordedStudy study, ulong seed);

    /// <summary>The benchmark's shifts, in the table's order.</summary>
    public static IReadOnlyList<SiteShift> All { get; } =
    [
        new Gain(0.5), new Gain(1.5), new Gain(2),
        new Sampling(50),
        new HardwareFilter(0.3, 35),
        new LineNoise(50), new LineNoise(60),
        new MuscleNoise(4),
        new SlowDrift(150),
        new Missing(Posterior: true), new Missing(Posterior: false),
        new Swapped(),
    ];

    /// <summary>The shift called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No shift has that name; the message lists them.</exception>
    public static SiteShift Named(string name) => All.FirstOrDefault(s => s.Name == name)
        ?? throw new ArgumentException($"Unknown site shift '{name}'; known: {string.Join(", ", All.Select(s => s.Name))}.", nameof(name));

    /// <summary>The study with each EEG channel replaced by <paramref name="map"/>(channel, its index among the EEG channels).</summary>
    protected static RecordedStudy MapEeg(RecordedStudy study, Func<RecordedChannel, int, RecordedChannel> map)
    {
        ArgumentNullException.ThrowIfNull(study);
        int eeg = 0;
        return study with { Channels = [.. study.Channels.Select(c => c.IsEeg ? map(c, eeg++) : c)] };
    }

    /// <summary>A standard normal variate stream of a seed (Box–Muller over SplitMix64).</summary>
    protected static Func<double> Gaussian(ulong seed)
    {
        var random = new Training.SeededRandom(seed);
        return () =>
        {
            double u1 = ((random.NextUInt64() >> 11) + 1.0) / (1UL << 53), u2 = (random.NextUInt64() >> 11) / (double)(1UL << 53);
            return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        };
    }

    /// <summary>Referential montages (to the mastoids) and amplifier gains: every EEG sample × factor.</summary>
    public sealed record Gain(double Factor) : SiteShift(FormattableString.Invariant($"gain-{Factor}"), FormattableString.Invariant($"EEG amplitude ×{Factor} (referential montage, other amplifier)"))
    {
        public override RecordedStudy Apply(RecordedStudy study, ulong seed) =>
            MapEeg(study, (c, _) => c with { Samples = [.. c.Samples.Select(v => (float)(v * Factor))] });
    }

    /// <summary>A slower recorder: EEG resampled (anti-aliased) to <paramref name="Rate"/> Hz.</summary>
    public sealed record Sampling(double Rate) : SiteShift(FormattableString.Invariant($"rate-{Rate}"), FormattableString.Invariant($"EEG sampled at {Rate} Hz (ambulatory recorder)"))
    {
        public override RecordedStudy Apply(RecordedStudy study, ulong seed) =>
            MapEeg(study, (c, _) => c with { Samples = new Resampler(c.Rate, Rate).Process(c.Samples), Rate = Rate });
    }

    /// <summary>An amplifier's analogue band-pass: causal (one pass, phase-shifting) Butterworth edges of order 2.</summary>
    public sealed record HardwareFilter(double Low, double High) : SiteShift(FormattableString.Invariant($"filter-{Low}-{High}"), FormattableString.Invariant($"hardware band-pass {Low}–{High} Hz (causal, order 2 each edge)"))
    {
        public override RecordedStudy Apply(RecordedStudy study, ulong seed) => MapEeg(study, (c, _) =>
        {
            double[] x = [.. c.Samples.Select(v => (double)v)];
            Biquad.HighPass(c.Rate, Low).Run(x);
            double edge = Math.Min(High, 0.45 * c.Rate);
            Biquad.LowPass(c.Rate, edge).Run(x);

            // The header says so, as a recorder's does.
            return c with { Samples = [.. x.Select(v => (float)v)], Prefiltering = FormattableString.Invariant($"HP:{Low}Hz LP:{edge:0.##}Hz") };
        });
    }

    /// <summary>Mains interference: EEG recorded at 200 Hz (so the mains frequency is representable) plus a 20 µV sine of slowly wandering amplitude.</summary>
    public sealed record LineNoise(double Mains) : SiteShift(FormattableString.Invariant($"mains-{Mains}"), FormattableString.Invariant($"{Mains} Hz line noise, 20 µV (EEG at 200 Hz)"))
    {
        private const double RecordRate = 200, Amplitude = 20;

        public override RecordedStudy Apply(RecordedStudy study, ulong seed) => MapEeg(study, (c, i) =>
        {
            float[] samples = new Resampler(c.Rate, RecordRate).Process(c.Samples);
            double phase = i * 0.7;
            for (int n = 0; n < samples.Length; n++)
            {
                double t = n / RecordRate;
                double envelope = 1 + (0.5 * Math.Sin(2 * Math.PI * t / 600));
                samples[n] += (float)(Amplitude * envelope * Math.Sin((2 * Math.PI * Mains * t) + phase));
            }

            return c with { Samples = samples, Rate = RecordRate };
        });
    }

    /// <summary>Muscle artefact: broadband noise (20–45 Hz) of <paramref name="Rms"/> µV on every EEG derivation.</summary>
    public sealed record MuscleNoise(double Rms) : SiteShift(FormattableString.Invariant($"emg-{Rms}"), FormattableString.Invariant($"EMG-like broadband noise 20–45 Hz, {Rms} µV RMS"))
    {
        public override RecordedStudy Apply(RecordedStudy study, ulong seed) => MapEeg(study, (c, i) =>
        {
            Func<double> normal = Gaussian(seed ^ (0x5EEDUL + (ulong)i));
            double[] noise = new double[c.Samples.Length];
            for (int n = 0; n < noise.Length; n++)
            {
                noise[n] = normal();
            }

            Biquad.HighPass(c.Rate, 20).Run(noise);
            Biquad.LowPass(c.Rate, Math.Min(45, 0.45 * c.Rate)).Run(noise);
            double scale = Rms / Math.Sqrt(noise.Average(v => v * v));
            return c with { Samples = [.. c.Samples.Select((v, n) => (float)(v + (scale * noise[n])))] };
        });
    }

    /// <summary>Electrode drift: a random walk low-passed below 0.1 Hz, scaled to <paramref name="Microvolts"/> µV RMS.</summary>
    public sealed record SlowDrift(double Microvolts) : SiteShift(FormattableString.Invariant($"drift-{Microvolts}"), FormattableString.Invariant($"slow electrode drift below 0.1 Hz, {Microvolts} µV RMS"))
    {
        public override RecordedStudy Apply(RecordedStudy study, ulong seed) => MapEeg(study, (c, i) =>
        {
            Func<double> normal = Gaussian(seed ^ (0xD71F7UL + (ulong)i));
            double[] drift = new double[c.Samples.Length];
            double walk = 0;
            for (int n = 0; n < drift.Length; n++)
            {
                walk = (0.9999 * walk) + normal();
                drift[n] = walk;
            }

            Biquad.LowPass(c.Rate, 0.1).Run(drift);
            double mean = drift.Average(), rms = Math.Sqrt(drift.Average(v => (v - mean) * (v - mean)));
            return c with { Samples = [.. c.Samples.Select((v, n) => (float)(v + (Microvolts * (drift[n] - mean) / Math.Max(rms, 1e-9))))] };
        });
    }

    /// <summary>A site that records one derivation only: the posterior (or the frontal) EEG channel removed.</summary>
    public sealed record Missing(bool Posterior) : SiteShift(Posterior ? "no-posterior" : "no-frontal", Posterior ? "posterior EEG (Pz-Oz) not recorded" : "frontal EEG (Fpz-Cz) not recorded")
    {
        public override RecordedStudy Apply(RecordedStudy study, ulong seed)
        {
            ArgumentNullException.ThrowIfNull(study);
            RecordedChannel[] eeg = [.. study.Channels.Where(c => c.IsEeg)];
            RecordedChannel? dropped = eeg.Length < 2 ? null : eeg[Posterior ? 1 : 0];
            return study with { Channels = [.. study.Channels.Where(c => c != dropped)] };
        }
    }

    /// <summary>Mislabelled leads: the first two EEG channels' samples exchanged under their labels.</summary>
    public sealed record Swapped() : SiteShift("swapped", "the two EEG derivations' labels swapped")
    {
        public override RecordedStudy Apply(RecordedStudy study, ulong seed)
        {
            ArgumentNullException.ThrowIfNull(study);
            RecordedChannel[] eeg = [.. study.Channels.Where(c => c.IsEeg)];
            return eeg.Length < 2
                ? study
                : study with { Channels = [.. study.Channels.Select(c => c == eeg[0] ? eeg[1] with { Label = eeg[0].Label } : c == eeg[1] ? eeg[0] with { Label = eeg[1].Label } : c)] };
        }
    }
}
