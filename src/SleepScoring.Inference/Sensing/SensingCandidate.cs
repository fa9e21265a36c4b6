using System.Globalization;

using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Signals;
using SleepScoring.Inference.Scoring;
using SleepScoring.Model;

namespace SleepScoring.Inference.Sensing;

/// <summary>
/// One way of presenting a study to the model (a "sensor setting" in Lens's sense): which recorded
/// EEG derivation feeds each EEG slot of the model (null: the slot draws a silent trace), the gain
/// each is drawn at, and an optional extra filter on the conditioned signals.
/// </summary>
/// <param name="Slots">Per model slot (band order), the conditioned derivation that feeds it, or null.</param>
/// <param name="Gains">Per slot, the factor its samples are multiplied by.</param>
/// <param name="Filter">Extra filtering of every slot's conditioned signal.</param>
public sealed record SensingCandidate(IReadOnlyList<ConditionedDerivation?> Slots, IReadOnlyList<float> Gains, SensingFilter Filter)
{
    /// <summary>Short description, e.g. <c>F4-M1 ×0.71 | O2-M1 ×0.71 | 0.3–35 Hz</c>.</summary>
    public string Describe() => string.Join(" | ", Slots.Select((s, i) => s is null ? "silent" : string.Create(CultureInfo.InvariantCulture, $"{s.Source.SourceLabel.Trim()} ×{Gains[i]:0.##}")))
        + " | " + Filter.Name;

    /// <summary>The same assignment and filter with other gains.</summary>
    public SensingCandidate WithGains(IReadOnlyList<float> gains) => this with { Gains = gains };

    /// <summary>Whether both present the same signals the same way.</summary>
    public bool SameAs(SensingCandidate other) =>
        other is not null && Filter == other.Filter && Gains.SequenceEqual(other.Gains)
        && Slots.Count == other.Slots.Count && Slots.Zip(other.Slots).All(p => p.First?.Source.Key == p.Second?.Source.Key);

    /// <summary>
    /// The model's input for this candidate: each slot's samples (filtered when the candidate
    /// filters, through <paramref name="filtered"/>, which caches one filtered copy per signal and
    /// filter) and gains.
    /// </summary>
    /// <param name="filtered">The filtered copy of a derivation.</param>
    /// <param name="input">The model's input, which says whether the filter is drawn narrow-band (<see cref="ModelImageSpec.PresentationEdge"/>).</param>
    /// <param name="studyEdge">The narrow band the study is read in, or null for the full band.</param>
    public SlotSignals Signals(Func<ConditionedDerivation, SensingFilter, SampleStore<float>> filtered, ModelImageSpec input, double? studyEdge)
    {
        ArgumentNullException.ThrowIfNull(filtered);
        ArgumentNullException.ThrowIfNull(input);
        double? edge = input.PresentationEdge(studyEdge, Filter.HighPassHz is null ? Filter.LowPassHz : null);
        return new SlotSignals(
            [.. Slots.Select(s => s is null ? SlotSignals.Silent : Filter.IsNone ? s.Samples : filtered(s, Filter))],
            [.. Gains],
            edge == studyEdge ? null : edge);
    }
}

/// <summary>
/// An extra filter a candidate applies to the conditioned (100 Hz) signals: zero-phase edges (e.g. a
/// lower low-pass edge against muscle noise), or the subtraction of a stationary noise floor from a
/// frequency up (<see cref="NoiseFloorSubtraction"/>), which keeps the EEG above the floor that a
/// low-pass takes away with the noise. <see cref="None"/> leaves them as conditioned.
/// </summary>
/// <param name="Name">Short name recorded in the result, e.g. <c>0.3–35 Hz</c> or <c>0.3–25 Hz</c>.</param>
/// <param name="HighPassHz">High-pass edge, or null for none beyond the conditioning's.</param>
/// <param name="LowPassHz">Low-pass edge, or null for none beyond the conditioning's.</param>
/// <param name="FloorFromHz">Subtract the noise floor from this frequency up, or null (never with edges).</param>
public sealed record SensingFilter(string Name, double? HighPassHz, double? LowPassHz, double? FloorFromHz = null)
{
    /// <summary>The conditioning's own band (0.3–35 Hz), nothing added.</summary>
    public static SensingFilter None { get; } = new("0.3–35 Hz", null, null);

    /// <summary>Nothing added to a conditioning that low-passes at <paramref name="lowPass"/> Hz: named by that band (<see cref="None"/> at 35 Hz).</summary>
    public static SensingFilter AsConditioned(double lowPass) =>
        lowPass == 35 ? None : new(string.Create(CultureInfo.InvariantCulture, $"0.3–{lowPass:0.##} Hz"), null, null);

    /// <summary>The text <see cref="Parse"/> reads back: <c>none</c>, <c>lp:25</c>, <c>hp:0.5</c>, <c>0.5-25</c> or <c>ns:15</c>.</summary>
    public string Spec => FloorFromHz is double from ? string.Create(CultureInfo.InvariantCulture, $"ns:{from}") : (HighPassHz, LowPassHz) switch
    {
        (null, null) => "none",
        (null, double low) => string.Create(CultureInfo.InvariantCulture, $"lp:{low}"),
        (double high, null) => string.Create(CultureInfo.InvariantCulture, $"hp:{high}"),
        (double high, double low) => string.Create(CultureInfo.InvariantCulture, $"{high}-{low}"),
    };

    /// <summary>Whether the filter changes nothing.</summary>
    public bool IsNone => HighPassHz is null && LowPassHz is null && FloorFromHz is null;

    /// <summary>The edges at <paramref name="samplingRate"/> (Butterworth, order 2 each edge, run forward and backward).</summary>
    /// <exception cref="InvalidOperationException">The filter subtracts a noise floor: that reads the whole signal (<see cref="Apply"/>).</exception>
    public ZeroPhaseFilter Create(double samplingRate) => FloorFromHz is null
        ? ZeroPhaseFilter.Edges(samplingRate, HighPassHz, LowPassHz)
        : throw new InvalidOperationException($"The sensing filter '{Spec}' subtracts a noise floor over the whole signal; it has no edges to run.");

    /// <summary>A copy of the conditioned <paramref name="source"/> (100 Hz) through this filter, kept in <paramref name="storage"/>.</summary>
    public SampleStore<float> Apply(SampleStore<float> source, ConditioningStorage storage)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(storage);
        if (FloorFromHz is not double from)
        {
            return storage.Filtered(source, Create(SignalConditioner.ModelRate));
        }

        SampleStore<float> copy = storage.NewTrack(source.Length);
        new NoiseFloorSubtraction(from).Apply(source, copy, SignalConditioner.ModelRate);
        return copy;
    }

    /// <summary>Parses <c>none</c>, <c>low-high</c> (Hz, e.g. <c>0.5-25</c>), <c>lp:25</c>, <c>hp:0.5</c> or <c>ns:15</c> (the noise floor subtracted from 15 Hz up).</summary>
    /// <exception cref="FormatException">Anything else; the message names the text.</exception>
    public static SensingFilter Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        static double Hz(string value, string text) =>
            double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double hz) && hz is > 0 and < 50
                ? hz
                : throw new FormatException($"Sensing filter '{text}': '{value}' is not a frequency in (0, 50) Hz.");
        if (text == "none")
        {
            return None;
        }

        if (text.StartsWith("lp:", StringComparison.Ordinal))
        {
            double low = Hz(text[3..], text);
            return new SensingFilter(string.Create(CultureInfo.InvariantCulture, $"0.3–{low:0.##} Hz"), null, low);
        }

        if (text.StartsWith("ns:", StringComparison.Ordinal))
        {
            double from = Hz(text[3..], text);
            return new SensingFilter(string.Create(CultureInfo.InvariantCulture, $"noise floor above {from:0.##} Hz subtracted"), null, null, from);
        }

        if (text.StartsWith("hp:", StringComparison.Ordinal))
        {
            double high = Hz(text[3..], text);
            return new SensingFilter(string.Create(CultureInfo.InvariantCulture, $"{high:0.##}–35 Hz"), high, null);
        }

        string[] parts = text.Split('-');
        if (parts.Length == 2)
        {
            double high = Hz(parts[0], text), low = Hz(parts[1], text);
            return high < low
                ? new SensingFilter(string.Create(CultureInfo.InvariantCulture, $"{high:0.##}–{low:0.##} Hz"), high, low)
                : throw new FormatException($"Sensing filter '{text}': the high-pass edge must be below the low-pass edge.");
        }

        throw new FormatException($"Sensing filter '{text}' is not 'none', 'low-high' (Hz), 'lp:Hz', 'hp:Hz' or 'ns:Hz'.");
    }
}
