using SleepScoring.Analysis.Conditioning;

namespace SleepScoring.Inference.Scoring;

/// <summary>Options of one scoring run.</summary>
public sealed record ScoringRequest
{
    /// <summary><c>FROM=TO</c> channel mappings that override the montage's guess.</summary>
    public IReadOnlyList<string> ChannelMappings { get; init; } = [];

    /// <summary>The analysed period; when null, lights annotations in the file are used if present.</summary>
    public LightsPeriod? Lights { get; init; }

    /// <summary>Copy the EDF patient and recording identification into the result (off by default).</summary>
    public bool IncludePatientIdentification { get; init; }

    /// <summary>Compute the per-epoch saliency grid and neighbour weights (on by default).</summary>
    public bool Explain { get; init; } = true;

    /// <summary>
    /// Search how to present the study to the model before scoring it (which EEG derivation feeds
    /// which slot, gain, filter: <see cref="Sensing.AdaptiveSensing"/>); off: the montage as
    /// resolved, at gain 1. Ignored when an explicit mapping assigns an EEG slot.
    /// </summary>
    public bool AdaptiveSensing { get; init; } = true;
}

/// <summary>Where a scoring run is, for progress bars and the job table.</summary>
public readonly record struct ScoringProgress(string Stage, double Fraction);
