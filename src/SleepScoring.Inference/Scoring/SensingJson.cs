using System.Text.Json;

using SleepScoring.Inference.Sensing;

namespace SleepScoring.Inference.Scoring;

/// <summary>
/// The <c>sensing</c> section of the scored-study JSON: whether adaptive sensing searched, what it
/// chose and why, every candidate tried with its objective, and the night's out-of-distribution check.
/// </summary>
internal static class SensingJson
{
    public static void Write(Utf8JsonWriter w, StudySensing sensing)
    {
        SensingResult result = sensing.Result;
        w.WriteStartObject("sensing");
        w.WriteBoolean("adaptive", result.Adaptive);
        w.WriteString("reason", result.Reason);
        w.WriteNumber("sample_epochs", result.SampleEpochs);
        w.WriteStartObject("chosen");
        WriteCandidate(w, result.Chosen, result.ChosenScore);
        w.WriteEndObject();
        if (result.Amplitude is { } amplitude)
        {
            // Only when the estimate moved a gain (a study as loud as the training nights reads as before).
            w.WriteStartArray("amplitude");
            foreach (SlotAmplitude slot in amplitude)
            {
                w.WriteStartObject();
                w.WriteString("slot", slot.Slot);
                w.WriteString("source", slot.Source);
                WriteNullable(w, "night_microvolts", slot.Night);
                WriteNullable(w, "trained_microvolts", slot.Trained);
                w.WriteNumber("gain", Math.Round(slot.Gain, 3));
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (result.MontageCheck is { } check)
        {
            // Whether the two EEG leads look like the regions their labels name (the swap is searched only when not).
            w.WriteStartObject("montage_check");
            w.WriteNumber("frontal_slow_share", Math.Round(check.FrontalSlow, 4));
            w.WriteNumber("posterior_slow_share", Math.Round(check.PosteriorSlow, 4));
            w.WriteNumber("frontal_alpha_share", Math.Round(check.FrontalAlpha, 4));
            w.WriteNumber("posterior_alpha_share", Math.Round(check.PosteriorAlpha, 4));
            w.WriteNumber("index", Math.Round(check.Index, 4));
            w.WriteNumber("clear", MontageCheck.Clear);
            w.WriteString("verdict", check.Agrees ? "agrees" : check.Contradicts ? "contradicts" : "inconclusive");
            w.WriteEndObject();
        }

        if (result.FastActivity is { } fast)
        {
            // Measured on a night: what decided whether the filters were searched.
            w.WriteStartObject("fast_activity");
            w.WriteNumber("edge_hz", SensingOptions.FastActivityEdge);
            WriteNullable(w, "limit", result.FastActivityLimit);
            w.WriteStartArray("slots");
            foreach (SlotFastActivity slot in fast)
            {
                w.WriteStartObject();
                w.WriteString("slot", slot.Slot);
                w.WriteString("source", slot.Source);
                WriteNullable(w, "share", slot.Share);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteStartArray("candidates");
        foreach (SensingEvaluation evaluation in result.Evaluated)
        {
            w.WriteStartObject();
            w.WriteString("step", evaluation.Step);
            WriteCandidate(w, evaluation.Candidate, evaluation.Score);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (result.Skipped.Count > 0)
        {
            w.WriteStartArray("skipped");
            foreach (SensingSkip skip in result.Skipped)
            {
                w.WriteStartObject();
                w.WriteString("step", skip.Step);
                w.WriteStartArray("candidates");
                foreach (string candidate in skip.Candidates)
                {
                    w.WriteStringValue(candidate);
                }

                w.WriteEndArray();
                w.WriteString("reason", skip.Reason);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteStartObject("night");
        WriteNullable(w, "objective", sensing.NightObjective);
        WriteNullable(w, "out_of_distribution_threshold", sensing.Threshold);
        w.WriteBoolean("broadband_noise", sensing.BroadbandNoise);
        w.WriteBoolean("out_of_distribution", sensing.OutOfDistribution);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteCandidate(Utf8JsonWriter w, SensingCandidate candidate, SensingScore? score)
    {
        w.WriteStartArray("slots");
        for (int s = 0; s < candidate.Slots.Count; s++)
        {
            w.WriteStartObject();
            if (candidate.Slots[s] is { } d)
            {
                w.WriteString("source", d.Source.SourceLabel.Trim());
                w.WriteNumber("gain", Math.Round(candidate.Gains[s], 3));
            }
            else
            {
                w.WriteNull("source");
                w.WriteNull("gain");
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("filter", candidate.Filter.Name);
        if (score is not null)
        {
            w.WriteNumber("entropy", Math.Round(score.Entropy, 4));
            w.WriteNumber("prior_divergence", Math.Round(score.PriorDivergence, 4));
            w.WriteNumber("objective", Math.Round(score.Value, 4));
        }
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is double v)
        {
            w.WriteNumber(name, Math.Round(v, 4));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
