using System.Text.Json;

using SleepScoring.Analysis.Staging;
using SleepScoring.Analysis.Statistics;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Scored;

/// <summary>
/// Statistics in exactly the shape of the scored-study contract's <c>statistics</c> object: written
/// by <see cref="ScoredStudyJson"/> itself (for a study with no epochs), so the two never drift.
/// </summary>
public static class StatisticsJson
{
    public static JsonElement ToElement(Hypnogram hypnogram, SleepStatistics statistics)
    {
        var carrier = new ScoredStudy(string.Empty, string.Empty, new RecordingSummary(default, 0, 0, 0, string.Empty, null, null, null, null), [], [], hypnogram, statistics, 0, [], []);
        using var buffer = new MemoryStream();
        ScoredStudyJson.Write(carrier, buffer);
        using JsonDocument document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.GetProperty("statistics").Clone();
    }
}
