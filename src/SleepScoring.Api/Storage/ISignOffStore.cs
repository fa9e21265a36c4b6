using SleepScoring.Api.Domain;

namespace SleepScoring.Api.Storage;

/// <summary>A study's sign-off (one per study, never changed), which locks its hypnogram.</summary>
public interface ISignOffStore
{
    /// <summary>
    /// Signs the study off, counting the reviewed epochs and how many of the review queue's epochs
    /// are among them; returns the existing sign-off instead when the study is already signed.
    /// </summary>
    Task<(SignOff SignOff, bool Created)> SignAsync(string studyId, string keyId, string name, string role, IReadOnlyCollection<int> queue, string? statement, CancellationToken cancellationToken);

    /// <summary>The study's sign-off, or null.</summary>
    Task<SignOff?> FindAsync(string studyId, CancellationToken cancellationToken);
}
