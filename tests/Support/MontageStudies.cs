using SleepScoring.Analysis.Signals;
using SleepScoring.Edf;

namespace SleepScoring.Tests.Support;

/// <summary>
/// Shared by the Inference and Cli tests (linked into both projects). Studies recorded with other
/// montages, made from the committed surrogate study (<c>sample-data/SC4001E0-PSG.edf</c>, our
/// generator's output) by our <see cref="EdfWriter"/>: its EEG Fpz-Cz / Pz-Oz and EOG samples,
/// resampled (<see cref="Resampler"/>) and scaled, written under clinical labels; a chin EMG is
/// seeded noise. Same start time and length, so the sample's hypnogram still lines up.
/// </summary>
internal static class MontageStudies
{
    /// <summary>The committed surrogate study.</summary>
    public static string Sample { get; } = Path.Combine(Common.SharedData.RepositoryRoot, "sample-data", "SC4001E0-PSG.edf");

    /// <summary>Its hypnogram.</summary>
    public static string SampleHypnogram { get; } = Path.Combine(Common.SharedData.RepositoryRoot, "sample-data", "SC4001EC-Hypnogram.edf");

    /// <summary>One channel: the sample's <paramref name="source"/> signal as <paramref name="label"/> at <paramref name="rate"/> Hz.</summary>
    public static string OneChannel(string path, string label, string source, int rate = 100, double gain = 1) =>
        Write(path, rate, (label, source, gain));

    /// <summary>
    /// An AASM montage at <paramref name="rate"/> Hz: F4-M1 and F3-M2 from the frontal Fpz-Cz, C4-M1 and
    /// C3-M2 from the mean of both, O2-M1 and O1-M2 from Pz-Oz (all × <paramref name="gain"/>, as
    /// referential leads read larger), E1-M2 and E2-M2 from the EOG (opposite signs), chin EMG.
    /// </summary>
    public static string Aasm(string path, int rate = 256, double gain = 1.5) => Write(path, rate,
        ("F4-M1", "EEG Fpz-Cz", gain), ("C4-M1", "central", gain), ("O2-M1", "EEG Pz-Oz", gain),
        ("F3-M2", "EEG Fpz-Cz", gain), ("C3-M2", "central", gain), ("O1-M2", "EEG Pz-Oz", gain),
        ("E1-M2", "EOG horizontal", 1), ("E2-M2", "EOG horizontal", -1), ("Chin EMG", "chin", 1));

    /// <summary>The sample's two EEG channels as recorded, with the prefiltering text a recorder would write (e.g. <c>HP:0.3Hz LP:35Hz</c>).</summary>
    public static string Prefiltered(string path, string prefiltering)
    {
        using EdfReader sample = EdfReader.Open(Sample);
        var writer = new EdfWriter { StartTime = sample.Header.StartTime, RecordDuration = 30 };
        foreach (string label in new[] { "EEG Fpz-Cz", "EEG Pz-Oz" })
        {
            EdfSignal signal = sample.Signals.First(s => s.Label == label);
            float[] samples = sample.ReadPhysical(signal.Index);
            double range = Math.Ceiling(samples.Max(v => Math.Abs(v)) * 1.01) + 1;
            writer.AddSignal(new EdfSignalSpec(label, -range, range, 3000) { PhysicalDimension = "uV", Prefiltering = prefiltering }, samples);
        }

        writer.Write(path);
        return path;
    }

    /// <summary>Writes the channels (label, source signal of the sample or <c>central</c>/<c>chin</c>, gain) at one rate.</summary>
    public static string Write(string path, int rate, params (string Label, string Source, double Gain)[] channels)
    {
        using EdfReader sample = EdfReader.Open(Sample);
        float[] Read(string label) => sample.ReadPhysical(sample.Signals.First(s => s.Label == label).Index);
        int seconds = (int)(sample.Header.RecordCount * sample.Header.RecordDuration);
        var writer = new EdfWriter { StartTime = sample.Header.StartTime, RecordDuration = 30 };
        var random = new Random(15);
        foreach ((string label, string source, double gain) in channels)
        {
            float[] at100 = source switch
            {
                "central" => [.. Read("EEG Fpz-Cz").Zip(Read("EEG Pz-Oz"), (f, p) => (f + p) / 2)],
                "chin" => [.. Enumerable.Range(0, seconds * 100).Select(_ => (float)((random.NextDouble() - 0.5) * 10))],
                _ => Read(source),
            };
            float[] samples = rate == 100 ? at100 : new Resampler(100, rate).Process(at100);
            samples = [.. samples.Take(seconds * rate).Select(v => (float)(v * gain))];
            double range = Math.Ceiling(samples.Max(v => Math.Abs(v)) * 1.01) + 1;
            writer.AddSignal(new EdfSignalSpec(label, -range, range, rate * 30) { PhysicalDimension = "uV" }, samples);
        }

        writer.Write(path);
        return path;
    }
}
