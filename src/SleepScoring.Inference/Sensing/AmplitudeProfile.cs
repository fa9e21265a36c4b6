using System.Text.Json;

using SleepScoring.Inference.Model;
using SleepScoring.Model;

namespace SleepScoring.Inference.Sensing;

/// <summary>
/// The training nights' amplitude of one model derivation (<see cref="EpochAmplitude"/>): the median
/// over the nights of each night's median epoch amplitude, and the lowest and highest night.
/// </summary>
/// <param name="Derivation">The model's name of the derivation, e.g. <c>EEG Fpz-Cz</c>.</param>
/// <param name="Median">Median of the nights' medians (µV).</param>
/// <param name="Lowest">The lowest night's median (µV).</param>
/// <param name="Highest">The highest night's median (µV).</param>
/// <param name="Nights">Training nights measured.</param>
public sealed record DerivationAmplitude(string Derivation, double Median, double Lowest, double Highest, int Nights);

/// <summary>
/// What amplitude each EEG slot of the model was trained on, from the model card's
/// <c>input_amplitude</c> section, and the gain that brings a study's derivation to it: label-free,
/// the first estimate of adaptive sensing's gain (the model's own objective then judges the steps around it).
/// </summary>
/// <param name="Derivations">One entry per EEG derivation of the model.</param>
public sealed record AmplitudeProfile(IReadOnlyList<DerivationAmplitude> Derivations)
{
    /// <summary>The card's section name.</summary>
    public const string SectionName = "input_amplitude";

    /// <summary>What is measured, in words (written into the card).</summary>
    public const string Measure = "per scorable epoch of the sensing sample's span (lights period, or the sleep span a scan finds on a recording over 12 h), the median absolute value (µV) of the conditioned signal (100 Hz, 0.3–35 Hz); per night the median over its epochs";

    /// <summary>Smallest and largest gain an estimate may give (the range sensing searches).</summary>
    public const float MinimumGain = 0.5f, MaximumGain = 2f;

    /// <summary>
    /// The gain that brings a derivation of night amplitude <paramref name="amplitude"/> (µV) into the
    /// training amplitudes of slot <paramref name="slot"/>: 1 when a training night was as large or as
    /// small (the range the model knows), else the nearest end of that range / amplitude, within
    /// ×0.5–×2, to 2 decimals — the smallest change that does it, and continuous at the range's ends
    /// (training nights differ by ×3, so a night just outside the range is no reason to jump to the median).
    /// 1 when the slot has no profile or the amplitude is unknown.
    /// </summary>
    public float Gain(string slot, double? amplitude)
    {
        if (Derivations.FirstOrDefault(d => d.Derivation == slot) is not { } trained || amplitude is not (> 0 and double a))
        {
            return 1f;
        }

        double target = Math.Clamp(a, trained.Lowest, trained.Highest);
        return target == a ? 1f : Math.Clamp(MathF.Round((float)(target / a), 2), MinimumGain, MaximumGain);
    }

    /// <summary>The profile from nights' medians per derivation (name → one median per night).</summary>
    public static AmplitudeProfile FromNights(IReadOnlyDictionary<string, IReadOnlyList<double>> nights)
    {
        ArgumentNullException.ThrowIfNull(nights);
        return new AmplitudeProfile([.. nights.Where(n => n.Value.Count > 0).Select(n =>
        {
            double[] sorted = [.. n.Value.Order()];
            int middle = sorted.Length / 2;
            double median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
            return new DerivationAmplitude(n.Key, median, sorted[0], sorted[^1], sorted.Length);
        })]);
    }

    /// <summary>The card's profile, or null when the card has none (cards written before it existed).</summary>
    /// <exception cref="ModelFileException">The section is malformed; the message names it.</exception>
    public static AmplitudeProfile? Of(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        if (card.Details is not { } details || !details.TryGetValue(SectionName, out JsonElement section) || section.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        try
        {
            return new AmplitudeProfile([.. section.GetProperty("derivations").EnumerateArray().Select(d => new DerivationAmplitude(
                d.GetProperty("derivation").GetString() ?? throw new FormatException("a derivation without a name"),
                Positive(d, "median"),
                Positive(d, "lowest"),
                Positive(d, "highest"),
                d.GetProperty("nights").GetInt32()))]);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new ModelFileException($"model card: {SectionName}: {e.Message}", e);
        }
    }

    /// <summary>What is measured for a model whose input is normalised per night: the normalisation's own quantile.</summary>
    public const string NormalisedMeasure = "per scorable epoch of the sensing sample's span (lights period, or the sleep span a scan finds on a recording over 12 h), the median absolute value (µV) of the conditioned signal, as recorded; per night the quantile of its epochs that the model's amplitude normalisation matches";

    /// <summary>The card section for this profile (snake_case in JSON), measured on <paramref name="source"/>, by <paramref name="measure"/>.</summary>
    public object Section(string source, string measure = Measure) => new { Measure = measure, Source = source, Derivations };

    private static double Positive(JsonElement element, string name)
    {
        double value = element.GetProperty(name).GetDouble();
        return value > 0 && double.IsFinite(value) ? value : throw new FormatException($"'{name}' is {value}, not a positive amplitude");
    }
}
