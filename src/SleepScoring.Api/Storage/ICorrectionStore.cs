using SleepScoring.Api.Domain;

namespace SleepScoring.Api.Storage;

/// <summary>A scorer's stage corrections of a study's epochs and their append-only audit.</summary>
public interface ICorrectionStore
{
    /// <summary>Applies the changes; returns the audit entries written (one per change).</summary>
    /// <exception cref="HypnogramLockedException">The study is signed off.</exception>
    Task<IReadOnlyList<Correction>> ApplyAsync(string studyId, IReadOnlyList<StageChange> changes, string keyId, CancellationToken cancellationToken);

    /// <summary>Withdraws the scorer's stage of one epoch (undo): it is unreviewed again. Returns the audit entry.</summary>
    /// <exception cref="HypnogramLockedException">The study is signed off.</exception>
    Task<Correction> WithdrawAsync(string studyId, int epoch, string? reason, string keyId, CancellationToken cancellationToken);

    /// <summary>The audit of a study, oldest first.</summary>
    Task<IReadOnlyList<Correction>> ListAsync(string studyId, CancellationToken cancellationToken);
}
