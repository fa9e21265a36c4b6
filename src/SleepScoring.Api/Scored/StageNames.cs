using SleepScoring.Analysis;
using SleepScoring.Analysis.Staging;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Scored;

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
