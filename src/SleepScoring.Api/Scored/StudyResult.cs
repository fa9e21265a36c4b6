using System.Data.Common;
using System.Text.Json;

using Dapper;

using SleepScoring.Analysis;
using SleepScoring.Analysis.Staging;
using SleepScoring.Analysis.Statistics;
using SleepScoring.Api.Domain;
using SleepScoring.Api.Storage;
using SleepScoring.Api.Storage.Sql;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Scored;

/// <summary>One epoch row: the model's stage, the scorer's (when corrected) and the epoch object of the result JSON.</summary>
public sealed record EpochRow(long Epoch, string ModelStage, string? ScorerStage, string Detail)
{
    /// <summary>The stage exports use: the scorer's where present, else the model's.</summary>
    public string FinalStage => ScorerStage ?? ModelStage;
}

/// <summary>
/// A scored study as the read endpoints need it: its epochs with model and scorer stages, the
/// hypnogram of the final stages (with the model's probabilities) and statistics recomputed from it.
/// </summary>
public sealed class StudyResult
{
    private const string EpochColumns = "epoch AS Epoch, model_stage AS ModelStage, scorer_stage AS ScorerStage, detail AS Detail";

    private static readonly DateTimeOffset UnknownStart = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private StudyResult(Study study, IReadOnlyList<EpochRow> epochs)
    {
        Study = study;
        Epochs = epochs;
        Start = StartOf(study);
        ModelStages = [.. epochs.Select(e => StageNames.Parse(e.ModelStage))];
        FinalStages = [.. epochs.Select(e => StageNames.Parse(e.FinalStage))];
        Probabilities = [.. epochs.Select(e => ProbabilitiesOf(e.Detail))];
    }

    public Study Study { get; }

    public IReadOnlyList<EpochRow> Epochs { get; }

    public DateTime Start { get; }

    public IReadOnlyList<SleepStage> ModelStages { get; }

    public IReadOnlyList<SleepStage> FinalStages { get; }

    /// <summary>Per epoch W, N1, N2, N3, R; zeros for unscored epochs.</summary>
    public IReadOnlyList<float[]> Probabilities { get; }

    public bool HasCorrections => Epochs.Any(e => e.ScorerStage is not null);

    /// <summary>The final stages as a hypnogram with the model's probabilities.</summary>
    public Hypnogram FinalHypnogram() => new(FinalStages, Hypnogram.StandardEpochSeconds, Start, Probabilities);

    /// <summary>Statistics of the final stages within the study's lights period.</summary>
    public SleepStatistics Statistics() => SleepStatisticsCalculator.Compute(FinalHypnogram(), Study.AnalysedLightsOff, Study.AnalysedLightsOn);

    /// <summary>Clock time of epoch 0 (the EDF start, kept as UTC; 2000-01-01 when unknown).</summary>
    public static DateTime StartOf(Study study)
    {
        ArgumentNullException.ThrowIfNull(study);
        return (study.StartTime ?? UnknownStart).UtcDateTime;
    }

    /// <summary>One epoch row, or null when the study has no such epoch.</summary>
    public static async Task<EpochRow?> LoadEpochAsync(ISqlDatabase database, string id, int epoch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<EpochRow>(
            $"SELECT {EpochColumns} FROM epochs WHERE study_id = @id AND epoch = @epoch",
            new { id, epoch }).ConfigureAwait(false);
    }

    /// <summary>Loads a scored study's epochs; null when the study is absent or not scored.</summary>
    public static async Task<StudyResult?> LoadAsync(ISqlDatabase database, StudyStore studies, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(studies);
        Study? study = await studies.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (study is null || study.Status != StudyStatus.Scored)
        {
            return null;
        }

        await using DbConnection c = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var epochs = await c.QueryAsync<EpochRow>(
            $"SELECT {EpochColumns} FROM epochs WHERE study_id = @id ORDER BY epoch",
            new { id }).ConfigureAwait(false);
        return new StudyResult(study, [.. epochs]);
    }

    private static float[] ProbabilitiesOf(string detail)
    {
        using JsonDocument d = JsonDocument.Parse(detail);
        float[] p = new float[Hypnogram.ClassCount];
        if (d.RootElement.GetProperty("probabilities") is { ValueKind: JsonValueKind.Object } probabilities)
        {
            p[0] = probabilities.GetProperty("W").GetSingle();
            p[1] = probabilities.GetProperty("N1").GetSingle();
            p[2] = probabilities.GetProperty("N2").GetSingle();
            p[3] = probabilities.GetProperty("N3").GetSingle();
            p[4] = probabilities.GetProperty("R").GetSingle();
        }

        return p;
    }
}

/// <summary>
/// Stage names as the JSON contract writes them (W, N1, N2, N3, R, unscored, artefact), and every
/// label the exports write or hypnogram files use (<see cref="StageLabel"/>: REM, Art, Uns, 3,
/// Sleep stage 2…), so what a user reads in a CSV or EDF+ export can be sent back as a correction.
/// </summary>
public static class StageNames
{
    public static readonly string[] All = [.. Enum.GetValues<SleepStage>().Select(ScoredStudyJson.StageName)];

    public static bool TryParse(string? text, out SleepStage stage)
    {
        foreach (SleepStage s in Enum.GetValues<SleepStage>())
        {
            if (string.Equals(ScoredStudyJson.StageName(s), text, StringComparison.OrdinalIgnoreCase))
            {
                stage = s;
                return true;
            }
        }

        stage = default;
        return text is not null && StageLabel.TryParse(text, out stage);
    }

    public static SleepStage Parse(string text) => TryParse(text, out SleepStage stage) ? stage : throw new FormatException($"'{text}' is not a stage ({string.Join(", ", All)})");
}
