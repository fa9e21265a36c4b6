namespace SleepScoring.Api.Storage;

/// <summary>The callbacks still to deliver: claimed under a lease by one node, read, and completed with the delivery's outcome.</summary>
public interface ICallbackOutbox
{
    /// <summary>Claims the oldest callback no live claim holds, for <paramref name="lease"/>; its study and event id, or null.</summary>
    Task<ClaimedCallback?> ClaimAsync(string claim, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>The callback of a study (its state now), or null when the study is gone.</summary>
    Task<CallbackTarget?> TargetAsync(string studyId, CancellationToken cancellationToken);

    /// <summary>Removes the claimed row and records <paramref name="outcome"/>; false, and nothing recorded, when the claim no longer holds the row.</summary>
    Task<bool> CompleteAsync(string studyId, string claim, CallbackOutcome? outcome, CancellationToken cancellationToken);
}
