using System.Globalization;
using System.Text.Json;

using SleepScoring.Inference.Model;
using SleepScoring.Model;

namespace SleepScoring.Inference.Sensing;

/// <summary>
/// The sensing settings a model card carries (its <c>sensing</c> section: the objective's prior
/// weight, the gains and filters searched, the out-of-distribution limit), with the defaults of
/// <see cref="SensingOptions"/> where the card says nothing (cards written before sensing existed).
/// </summary>
public static class ModelSensing
{
    /// <summary>The card's section name.</summary>
    public const string SectionName = "sensing";

    /// <summary>The search settings of <paramref name="card"/>.</summary>
    /// <exception cref="ModelFileException">The section holds a malformed value; the message names it.</exception>
    public static SensingOptions Options(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var options = new SensingOptions { Amplitude = AmplitudeProfile.Of(card), KeepLoneDerivation = TrainedWithDerivationDropout(card) };
        if (SectionOf(card) is not JsonElement section)
        {
            return options;
        }

        try
        {
            if (section.TryGetProperty("prior_weight", out JsonElement weight))
            {
                options = options with { Objective = options.Objective with { PriorWeight = weight.GetDouble() } };
            }

            if (section.TryGetProperty("prior_tolerance", out JsonElement tolerance))
            {
                options = options with { Objective = options.Objective with { PriorTolerance = tolerance.GetDouble() } };
            }

            if (section.TryGetProperty("gains", out JsonElement gains))
            {
                options = options with { Gains = [.. gains.EnumerateArray().Select(g => g.GetSingle())] };
            }

            if (section.TryGetProperty("per_slot_gains", out JsonElement perSlot))
            {
                options = options with { PerSlotGains = perSlot.GetBoolean() };
            }

            if (section.TryGetProperty("filters", out JsonElement filters))
            {
                options = options with { Filters = [.. filters.EnumerateArray().Select(f => SensingFilter.Parse(f.GetString() ?? "null"))] };
            }

            if (section.TryGetProperty("filter_threshold", out JsonElement filterThreshold) && filterThreshold.ValueKind == JsonValueKind.Number)
            {
                options = options with { FilterThreshold = filterThreshold.GetDouble() };
            }

            if (section.TryGetProperty("montage_check", out JsonElement montageCheck))
            {
                options = options with
                {
                    CheckMontage = montageCheck.ValueKind is JsonValueKind.True or JsonValueKind.False
                        ? montageCheck.GetBoolean()
                        : throw new FormatException($"'montage_check' is {montageCheck.GetRawText()}, not true or false"),
                };
            }

            if (section.TryGetProperty("fast_activity_limit", out JsonElement fastLimit))
            {
                options = options with
                {
                    FastActivityLimit = fastLimit.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.Number when fastLimit.GetDouble() >= 0 => fastLimit.GetDouble(),
                        _ => throw new FormatException($"'fast_activity_limit' is {fastLimit.GetRawText()}, not a share ≥ 0 or null"),
                    },
                };
            }

            if (section.TryGetProperty("margin", out JsonElement margin))
            {
                options = options with { Margin = margin.GetDouble() };
            }

            if (section.TryGetProperty("gain_margin", out JsonElement gainMargin))
            {
                options = options with { GainMargin = gainMargin.GetDouble() };
            }

            if (section.TryGetProperty("filter_margin", out JsonElement filterMargin))
            {
                options = options with { FilterMargin = filterMargin.GetDouble() };
            }

            if (section.TryGetProperty("keep_lone_derivation", out JsonElement keepLone))
            {
                options = options with { KeepLoneDerivation = keepLone.GetBoolean() };
            }

            if (section.TryGetProperty("night_hours", out JsonElement nightHours))
            {
                options = options with { NightHours = nightHours.GetDouble() };
            }
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new ModelFileException($"model card: {SectionName}: {e.Message}", e);
        }

        return options;
    }

    /// <summary>The card's out-of-distribution limit on the night's sensing objective, or null when it sets none.</summary>
    public static double? OutOfDistributionThreshold(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return SectionOf(card) is JsonElement section && section.TryGetProperty("ood_threshold", out JsonElement limit) && limit.ValueKind == JsonValueKind.Number
            ? limit.GetDouble()
            : null;
    }

    /// <summary>
    /// Whether the card's <c>training.derivation_dropout.encoder</c> is above 0: such a model learned
    /// to read one EEG derivation in its own slot (<see cref="SensingOptions.KeepLoneDerivation"/>).
    /// </summary>
    private static bool TrainedWithDerivationDropout(ModelCard card) =>
        card.Details is { } details && details.TryGetValue("training", out JsonElement training) && training.ValueKind == JsonValueKind.Object
        && training.TryGetProperty("derivation_dropout", out JsonElement dropout) && dropout.ValueKind == JsonValueKind.Object
        && dropout.TryGetProperty("encoder", out JsonElement encoder) && encoder.ValueKind == JsonValueKind.Number && encoder.GetDouble() > 0;

    private static JsonElement? SectionOf(ModelCard card) =>
        card.Details is { } details && details.TryGetValue(SectionName, out JsonElement section) && section.ValueKind == JsonValueKind.Object ? section : null;

    /// <summary>
    /// The card section for <paramref name="options"/>: what the scorer searches and how it judges,
    /// with the out-of-distribution limit when one was calibrated (see <c>card --sites</c>).
    /// </summary>
    public static SensingSection Section(SensingOptions options, double? oodThreshold = null, string? oodCalibration = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SensingSection(
            "Adaptive sensing: before scoring, a sample of the study's epochs is presented to the model with each candidate slot assignment, gain and filter (filters only when an EEG lead's share of activity above 20 Hz exceeds fast_activity_limit, or, without a limit, when the montage's objective exceeds filter_threshold; assignments that leave a recorded lead out under the same gate, except that on an excerpt shorter than a night, where fast activity is not measured and filters are not searched, they are searched when the montage's objective exceeds filter_threshold; with montage_check on, the two EEG leads exchanged are not searched when their spectra clearly agree with their labels, and are kept unless the montage as labelled wins by the margin when they clearly contradict them); the candidate with the lowest objective is scored. Gains are searched around the estimate that matches each derivation's amplitude to the training amplitude (input_amplitude). Only the input side changes; the integer graphs are untouched.",
            "mean entropy of the stage probabilities (nats) + prior_weight × max(0, KL divergence of the sample's mean stage probabilities from the prior − prior_tolerance)",
            [.. options.Objective.Prior],
            options.Objective.PriorWeight,
            options.Objective.PriorTolerance,
            [.. options.Gains],
            options.PerSlotGains,
            options.KeepLoneDerivation,
            [.. options.Filters.Select(f => f.Spec)],
            options.FilterThreshold,
            options.FastActivityLimit,
            options.CheckMontage,
            options.Blocks,
            options.BlockEpochs,
            options.Margin,
            options.GainMargin,
            options.FilterMargin,
            options.NightHours,
            "the sensing objective over the night's own sleep period as scored; above ood_threshold, or when the search chose a low-pass against broadband noise, the whole study is queued for review",
            oodThreshold,
            oodCalibration);
    }

    /// <summary>A one-line description of the options, for logs.</summary>
    public static string Describe(SensingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.Create(CultureInfo.InvariantCulture, $"gains {string.Join("/", options.Gains)}, per-slot {options.PerSlotGains}, filters [{string.Join(", ", options.Filters.Select(f => f.Name))}], prior weight {options.Objective.PriorWeight}, {options.Blocks}×{options.BlockEpochs} epochs");
    }
}

/// <summary>The card's <c>sensing</c> section (snake_case in JSON); <see cref="ModelSensing.Options"/> reads it back.</summary>
public sealed record SensingSection(
    string Description,
    string Objective,
    IReadOnlyList<double> Prior,
    double PriorWeight,
    double PriorTolerance,
    IReadOnlyList<float> Gains,
    bool PerSlotGains,
    bool KeepLoneDerivation,
    IReadOnlyList<string> Filters,
    double FilterThreshold,
    double? FastActivityLimit,
    bool MontageCheck,
    int Blocks,
    int BlockEpochs,
    double Margin,
    double GainMargin,
    double FilterMargin,
    double NightHours,
    string OodMeasure,
    double? OodThreshold,
    string? OodCalibration);
