using System.Text.Json;
using System.Text.Json.Serialization;

using SleepScoring.Analysis;
using SleepScoring.Api.Domain;
using SleepScoring.Api.Scored;

namespace SleepScoring.Api.Endpoints;

/// <summary>A value per stage class (the scored-study contract's <c>classes</c>): minutes, percent or counts.</summary>
public sealed record StageClassesDto(
    [property: JsonPropertyName("W")] double W,
    [property: JsonPropertyName("N1")] double N1,
    [property: JsonPropertyName("N2")] double N2,
    [property: JsonPropertyName("N3")] double N3,
    [property: JsonPropertyName("R")] double R);

/// <summary>Transitions from each stage (row) to each stage (column).</summary>
public sealed record TransitionCountsDto(
    [property: JsonPropertyName("W")] StageClassesDto W,
    [property: JsonPropertyName("N1")] StageClassesDto N1,
    [property: JsonPropertyName("N2")] StageClassesDto N2,
    [property: JsonPropertyName("N3")] StageClassesDto N3,
    [property: JsonPropertyName("R")] StageClassesDto R);

/// <summary>
/// Sleep statistics, the scored-study contract's <c>statistics</c> object. Read from what
/// <see cref="StatisticsJson"/> writes (the contract's own writer), so the values and their
/// rounding are the contract's; this type gives them a schema.
/// </summary>
public sealed record StatisticsDto(
    double EpochSeconds,
    int WindowStartEpoch,
    int WindowEpochs,
    int UnscoredEpochs,
    int ArtefactEpochs,
    double TimeInBedMinutes,
    int? SleepOnsetEpoch,
    double? SleepOnsetLatencyMinutes,
    double? PersistentSleepLatencyMinutes,
    double TotalSleepTimeMinutes,
    double SleepPeriodTimeMinutes,
    double WakeAfterSleepOnsetMinutes,
    double? SleepEfficiencyPercent,
    double? RemLatencyMinutes,
    int Awakenings,
    int StageTransitions,
    StageClassesDto StageMinutes,
    StageClassesDto StagePercentOfSleep,
    TransitionCountsDto TransitionCounts)
{
    public static StatisticsDto From(JsonElement statistics) =>
        statistics.Deserialize<StatisticsDto>(ContractJson.Options) ?? throw new JsonException("statistics are null");
}

/// <summary>Weight of a neighbouring epoch (offset 0 = this epoch) in the inter-epoch model.</summary>
public sealed record NeighbourWeightDto(int Offset, double Weight);

/// <summary>Where the model looked in one epoch: relevance (0–1) per derivation and time segment, and the neighbours' weights.</summary>
public sealed record SaliencyDto(double SegmentSeconds, IReadOnlyList<string> Derivations, IReadOnlyList<IReadOnlyList<double>> Grid, IReadOnlyList<NeighbourWeightDto> Neighbours);

/// <summary>
/// <c>GET …/epochs/{n}</c>: the scored-study contract's epoch (as the worker stored it) with the
/// model's and the scorer's stage; <see cref="Stage"/> is the final one (the scorer's where corrected).
/// </summary>
public sealed record EpochDetailDto(
    int Index,
    double OnsetSeconds,
    string Stage,
    StageClassesDto? Probabilities,
    double? Confidence,
    string? Exclusion,
    bool Review,
    SaliencyDto? Saliency,
    string ModelStage,
    string? ScorerStage)
{
    /// <summary>The stored epoch with its current stages.</summary>
    public static EpochDetailDto From(EpochResult epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        EpochDetailDto stored = JsonSerializer.Deserialize<EpochDetailDto>(epoch.Detail, ContractJson.Options) ?? throw new JsonException($"epoch {epoch.Index} is null");
        return stored with
        {
            Stage = EpochResult.Name(epoch.FinalStage),
            ModelStage = EpochResult.Name(epoch.ModelStage),
            ScorerStage = epoch.ScorerStage is SleepStage scorer ? EpochResult.Name(scorer) : null,
        };
    }
}

/// <summary>A derivation the model read: its name, role, the recorded signal(s) it came from and how the montage found it.</summary>
public sealed record DerivationDto(string Name, string Role, string Source, string HowFound);

/// <summary>One epoch of the stages document: the model's and the scorer's stage side by side.</summary>
public sealed record StagesEpochDto(int Index, double OnsetSeconds, string ModelStage, string? ScorerStage, string Stage, IReadOnlyList<float>? Probabilities);

/// <summary>
/// <c>GET …/hypnogram?format=stages</c> (<c>application/vnd.sleepscoring.stages+json</c>): model and
/// scorer stages with the model's probabilities (in <see cref="ProbabilityClasses"/> order), the
/// derivations read and the statistics of the final stages.
/// </summary>
public sealed record StagesDocumentDto(
    string StudyId,
    ModelNameDto Model,
    DateTime StartTime,
    double EpochSeconds,
    int CorrectedEpochs,
    double ReviewThreshold,
    IReadOnlyList<DerivationDto> Derivations,
    IReadOnlyList<string> ProbabilityClasses,
    StatisticsDto Statistics,
    IReadOnlyList<StagesEpochDto> Epochs);

/// <summary>The model that scored a study (null parts: not recorded).</summary>
public sealed record ModelNameDto(string? Name, string? Version);

/// <summary><c>GET /health</c>.</summary>
public sealed record HealthDto(string Status);

/// <summary>Reads the contract's snake_case JSON (what the worker stored) into the response records.</summary>
internal static class ContractJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
