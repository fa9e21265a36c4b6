using System.Text.Json;

using SleepScoring.Analysis;
using SleepScoring.Analysis.Statistics;
using SleepScoring.Inference.Explanation;

namespace SleepScoring.Inference.Scoring;

/// <summary>
/// Writes a <see cref="ScoredStudy"/> as the public JSON contract,
/// <c>schemas/scored-study.schema.json</c> (snake_case; stages and probability keys W, N1, N2, N3, R;
/// minutes for durations; null where a value does not exist, e.g. REM latency without REM).
/// </summary>
public static class ScoredStudyJson
{
    private static readonly SleepStage[] Classes = [SleepStage.W, SleepStage.N1, SleepStage.N2, SleepStage.N3, SleepStage.R];

    /// <summary>Writes the study to <paramref name="stream"/> (UTF-8, indented when asked).</summary>
    public static void Write(ScoredStudy study, Stream stream, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(study);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented });
        w.WriteStartObject();
        w.WriteStartObject("model");
        w.WriteString("name", study.ModelName);
        w.WriteString("version", study.ModelVersion);
        w.WriteEndObject();
        WriteRecording(w, study.Recording);
        w.WriteStartArray("derivations");
        foreach (DerivationUsed d in study.Derivations)
        {
            w.WriteStartObject();
            w.WriteString("name", d.Name);
            w.WriteString("role", d.Role);
            w.WriteString("source", d.Source);
            w.WriteString("how_found", d.HowFound);
            if (d.Region is not null)
            {
                w.WriteString("region", d.Region);
            }

            if (d.Gain is float gain)
            {
                w.WriteNumber("gain", Math.Round(gain, 3));
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (study.Sensing is not null)
        {
            SensingJson.Write(w, study.Sensing);
        }

        w.WriteStartArray("warnings");
        foreach (string warning in study.Warnings)
        {
            w.WriteStringValue(warning);
        }

        w.WriteEndArray();
        WriteStatistics(w, study.Statistics);
        w.WriteStartObject("review");
        w.WriteNumber("threshold", study.ReviewThreshold);
        w.WriteStartArray("queue");
        foreach (EpochReview review in study.ReviewQueue)
        {
            w.WriteStartObject();
            w.WriteNumber("index", review.Index);
            w.WriteNumber("wrong_probability", Math.Round(review.WrongProbability, 4));
            w.WriteStartArray("reasons");
            foreach (ReviewReason reason in Enum.GetValues<ReviewReason>().Where(r => r != ReviewReason.None && review.Reasons.HasFlag(r)))
            {
                w.WriteStringValue(reason switch
                {
                    ReviewReason.LowConfidence => "low_confidence",
                    ReviewReason.IsolatedStage => "isolated_stage",
                    _ => "out_of_distribution",
                });
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartArray("epochs");
        foreach (ScoredEpoch epoch in study.Epochs)
        {
            WriteEpoch(w, epoch, study);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The stage as written in the contract: W, N1, N2, N3, R, unscored, artefact.</summary>
    public static string StageName(SleepStage stage) => stage switch
    {
        SleepStage.Unscored => "unscored",
        SleepStage.Artefact => "artefact",
        _ => stage.ToString(),
    };

    private static void WriteRecording(Utf8JsonWriter w, RecordingSummary r)
    {
        w.WriteStartObject("recording");
        w.WriteString("start_time", r.StartTime);
        w.WriteNumber("duration_seconds", r.DurationSeconds);
        w.WriteNumber("epochs", r.Epochs);
        w.WriteNumber("scorable_epochs", r.ScorableEpochs);
        w.WriteString("file_type", r.FileType);
        WriteNullable(w, "lights_off_seconds", r.LightsOffSeconds);
        WriteNullable(w, "lights_on_seconds", r.LightsOnSeconds);
        if (r.PatientIdentification is not null)
        {
            w.WriteString("patient_identification", r.PatientIdentification);
            w.WriteString("recording_identification", r.RecordingIdentification);
        }

        w.WriteEndObject();
    }

    private static void WriteStatistics(Utf8JsonWriter w, SleepStatistics s)
    {
        w.WriteStartObject("statistics");
        w.WriteNumber("epoch_seconds", s.EpochSeconds);
        w.WriteNumber("window_start_epoch", s.WindowStartEpoch);
        w.WriteNumber("window_epochs", s.WindowEpochs);
        w.WriteNumber("unscored_epochs", s.UnscoredEpochs);
        w.WriteNumber("artefact_epochs", s.ArtefactEpochs);
        w.WriteNumber("time_in_bed_minutes", s.TimeInBedMinutes);
        WriteNullable(w, "sleep_onset_epoch", s.SleepOnsetEpoch);
        WriteNullable(w, "sleep_onset_latency_minutes", s.SleepOnsetLatencyMinutes);
        WriteNullable(w, "persistent_sleep_latency_minutes", s.PersistentSleepLatencyMinutes);
        w.WriteNumber("total_sleep_time_minutes", s.TotalSleepTimeMinutes);
        w.WriteNumber("sleep_period_time_minutes", s.SleepPeriodTimeMinutes);
        w.WriteNumber("wake_after_sleep_onset_minutes", s.WakeAfterSleepOnsetMinutes);
        WriteNullable(w, "sleep_efficiency_percent", s.SleepEfficiencyPercent);
        WriteNullable(w, "rem_latency_minutes", s.RemLatencyMinutes);
        w.WriteNumber("awakenings", s.Awakenings);
        w.WriteNumber("stage_transitions", s.Transitions.Transitions);
        w.WriteStartObject("stage_minutes");
        foreach (SleepStage stage in Classes)
        {
            w.WriteNumber(stage.ToString(), s.StageMinutes.GetValueOrDefault(stage));
        }

        w.WriteEndObject();
        w.WriteStartObject("stage_percent_of_sleep");
        foreach (SleepStage stage in Classes)
        {
            w.WriteNumber(stage.ToString(), Math.Round(s.StagePercentOfSleep.GetValueOrDefault(stage), 3));
        }

        w.WriteEndObject();
        w.WriteStartObject("transition_counts");
        int[][] rows = s.Transitions.ToRows();
        for (int from = 0; from < Classes.Length; from++)
        {
            w.WriteStartObject(Classes[from].ToString());
            for (int to = 0; to < Classes.Length; to++)
            {
                w.WriteNumber(Classes[to].ToString(), rows[from][to]);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteEpoch(Utf8JsonWriter w, ScoredEpoch e, ScoredStudy study)
    {
        w.WriteStartObject();
        w.WriteNumber("index", e.Index);
        w.WriteNumber("onset_seconds", e.OnsetSeconds);
        w.WriteString("stage", StageName(e.Stage));
        if (e.Probabilities is null)
        {
            w.WriteNull("probabilities");
        }
        else
        {
            w.WriteStartObject("probabilities");
            for (int c = 0; c < Classes.Length; c++)
            {
                w.WriteNumber(Classes[c].ToString(), Math.Round(e.Probabilities[c], 4));
            }

            w.WriteEndObject();
        }

        WriteNullable(w, "confidence", e.Confidence is float c2 ? Math.Round(c2, 4) : null);
        if (e.Exclusion is null)
        {
            w.WriteNull("exclusion");
        }
        else
        {
            w.WriteString("exclusion", e.Exclusion);
        }

        w.WriteBoolean("review", e.Review);
        if (e.Saliency is null)
        {
            w.WriteNull("saliency");
        }
        else
        {
            WriteSaliency(w, e.Saliency, study.SlotNames);
        }

        w.WriteEndObject();
    }

    private static void WriteSaliency(Utf8JsonWriter w, EpochSaliency s, IReadOnlyList<string> derivations)
    {
        w.WriteStartObject("saliency");
        w.WriteNumber("segment_seconds", s.SegmentSeconds);
        w.WriteStartArray("derivations");
        for (int d = 0; d < s.Grid.GetLength(0); d++)
        {
            w.WriteStringValue(d < derivations.Count ? derivations[d] : $"derivation {d}");
        }

        w.WriteEndArray();
        w.WriteStartArray("grid");
        for (int d = 0; d < s.Grid.GetLength(0); d++)
        {
            w.WriteStartArray();
            for (int t = 0; t < s.Grid.GetLength(1); t++)
            {
                w.WriteNumberValue(Math.Round(s.Grid[d, t], 3));
            }

            w.WriteEndArray();
        }

        w.WriteEndArray();
        w.WriteStartArray("neighbours");
        int half = s.Neighbours.Length / 2;
        for (int i = 0; i < s.Neighbours.Length; i++)
        {
            w.WriteStartObject();
            w.WriteNumber("offset", i - half);
            w.WriteNumber("weight", Math.Round(s.Neighbours[i], 4));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is double v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
