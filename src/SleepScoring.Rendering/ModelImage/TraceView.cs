using System.Globalization;

using SleepScoring.Analysis.Signals;

namespace SleepScoring.Rendering.ModelImage;

/// <summary>
/// One way of drawing a derivation in the model image, as a scorer switches filters and gain to
/// look for alpha or spindles: the conditioned trace itself, or the trace band-passed to
/// [<see cref="LowHz"/>, <see cref="HighHz"/>] and drawn at its own amplitude scale. A 64 × 300
/// envelope of the raw trace shows slow waves but hides the 8–30 Hz rhythms in its line width.
/// </summary>
/// <param name="LowHz">Lower band edge (Hz), or null for the unfiltered trace.</param>
/// <param name="HighHz">Upper band edge (Hz), or null for the unfiltered trace.</param>
/// <param name="MicrovoltsPerHalfStrip">Amplitude at the strip's edge rows for this view.</param>
public sealed record TraceView(double? LowHz, double? HighHz, float MicrovoltsPerHalfStrip)
{
    /// <summary>Samples of context filtered on each side of the epoch, so a view is a function of the epoch's neighbourhood only.</summary>
    public const int ContextSamples = 200;

    /// <summary>Whether the view band-passes the trace.</summary>
    public bool Filtered => LowHz is not null;

    /// <summary>Short name used in model metadata: "raw@100" or "8-13@10".</summary>
    public string Name => Filtered
        ? string.Create(CultureInfo.InvariantCulture, $"{LowHz}-{HighHz}@{MicrovoltsPerHalfStrip}")
        : string.Create(CultureInfo.InvariantCulture, $"raw@{MicrovoltsPerHalfStrip}");

    /// <summary>The conditioned trace itself, unfiltered, at <paramref name="microvolts"/>.</summary>
    public static TraceView Trace(float microvolts) => new(null, null, microvolts);

    /// <summary>
    /// The views named in a model card or training record, in order; none named means the trace
    /// alone at <paramref name="traceMicrovolts"/> (models drawn before views existed).
    /// </summary>
    /// <exception cref="FormatException">An entry is missing or malformed; the message names it.</exception>
    public static TraceView[] ParseAll(IReadOnlyList<string?> names, float traceMicrovolts)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0)
        {
            return [Trace(traceMicrovolts)];
        }

        var views = new TraceView[names.Count];
        for (int i = 0; i < views.Length; i++)
        {
            views[i] = names[i] is string name ? Parse(name) : throw new FormatException($"View {i} is empty; expected a name such as 'raw@100' or '8-13@10'.");
        }

        return views;
    }

    /// <summary>Parses <see cref="Name"/>.</summary>
    /// <exception cref="FormatException">The text is not "raw@µV" or "low-high@µV" with 0 &lt; low &lt; high &lt; 50.</exception>
    public static TraceView Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split('@');
        if (parts.Length != 2 || !float.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out float microvolts) || !(microvolts > 0) || !float.IsFinite(microvolts))
        {
            throw new FormatException($"Trace view '{text}' is not 'raw@µV' or 'low-high@µV' with a positive amplitude.");
        }

        if (parts[0] == "raw")
        {
            return Trace(microvolts);
        }

        string[] band = parts[0].Split('-');
        return band.Length == 2
            && double.TryParse(band[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double low)
            && double.TryParse(band[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double high)
            && low > 0 && low < high && high < 50
            ? new TraceView(low, high, microvolts)
            : throw new FormatException($"Trace view '{text}': the band must be 'low-high' in Hz with 0 < low < high < 50.");
    }

    /// <summary>The zero-phase band-pass (4th-order Butterworth edges) of a filtered view at 100 Hz.</summary>
    internal ZeroPhaseFilter CreateFilter(double samplingRate) =>
        new([
            Biquad.HighPass(samplingRate, LowHz!.Value, 1.3065629648763766),
            Biquad.HighPass(samplingRate, LowHz.Value, 0.5411961001461971),
            Biquad.LowPass(samplingRate, HighHz!.Value, 1.3065629648763766),
            Biquad.LowPass(samplingRate, HighHz.Value, 0.5411961001461971),
        ]);
}
