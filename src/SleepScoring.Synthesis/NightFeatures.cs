using SleepScoring.Analysis;
using SleepScoring.Analysis.Signals;

namespace SleepScoring.Synthesis;

/// <summary>One row of a Sleep-EDF feature table: a scored epoch's measured features per channel.</summary>
/// <param name="Epoch">Index of the 30-s epoch from the recording start.</param>
/// <param name="Stage">The scorer's stage (kept for bookkeeping; synthesis never reads it).</param>
/// <param name="FpzCz">Features of <c>EEG Fpz-Cz</c>.</param>
/// <param name="PzOz">Features of <c>EEG Pz-Oz</c>.</param>
public sealed record FeatureRow(int Epoch, SleepStage Stage, EpochFeatures FpzCz, EpochFeatures PzOz);

/// <summary>A night's feature table: rows in time order, unscored epochs absent.</summary>
/// <param name="Name">Recording name, e.g. <c>SC4001E0</c>.</param>
/// <param name="Rows">Rows ordered by <see cref="FeatureRow.Epoch"/>, each epoch at most once.</param>
public sealed record NightFeatures(string Name, IReadOnlyList<FeatureRow> Rows)
{
    /// <summary>One past the last epoch index in the table (0 when empty).</summary>
    public int EpochSpan => Rows.Count == 0 ? 0 : Rows[^1].Epoch + 1;
}
