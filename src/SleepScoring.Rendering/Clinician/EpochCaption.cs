using SleepScoring.Analysis;

namespace SleepScoring.Rendering.Clinician;

/// <summary>What the clinician image's caption says about the epoch (no patient fields).</summary>
/// <param name="EpochIndex">0-based index of the epoch in the recording.</param>
/// <param name="Onset">Clock time of the epoch's first sample.</param>
/// <param name="Stage">The stage shown (scored or predicted), or null when none is known yet.</param>
public sealed record EpochCaption(int EpochIndex, DateTime Onset, SleepStage? Stage);
