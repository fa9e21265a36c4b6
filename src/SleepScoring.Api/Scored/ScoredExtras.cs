using System.Text.Json;

using SleepScoring.Api.Domain;
using SleepScoring.Api.Storage;
using SleepScoring.Inference.Scoring;

namespace SleepScoring.Api.Scored;

/// <summary>
/// What the workstation needs of a result besides its epochs: the derivations the model read (in
/// the order of its image bands) and the review threshold. Stored in the study row since migration
/// 0010; read from the result file for studies scored before it (which lists every derivation the
/// montage found).
/// </summary>
public sealed record ScoredExtras(IReadOnlyList<DerivationUsed> Derivations, double ReviewThreshold)
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static ScoredExtras Of(Study study, DataFolder folder)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(folder);
        if (study.Derivations is { } derivations && study.ReviewThreshold is double threshold)
        {
            return new ScoredExtras(derivations, threshold);
        }

        string path = folder.ResultJson(study.Id);
        if (!File.Exists(path))
        {
            return new ScoredExtras([], 0);
        }

        using FileStream file = File.OpenRead(path);
        using JsonDocument document = JsonDocument.Parse(file);
        JsonElement root = document.RootElement;
        return new ScoredExtras(root.GetProperty("derivations").Deserialize<DerivationUsed[]>(Options) ?? [], root.GetProperty("review").GetProperty("threshold").GetDouble());
    }
}
