namespace SleepScoring.Api.Storage;

/// <summary>Whether the request holding an Idempotency-Key is still being processed (stored as the text of <see cref="IdempotencyKeyStateText"/> in <c>idempotency_keys.state</c>).</summary>
public enum IdempotencyKeyState
{
    Processing,
    Done,
}

/// <summary>The stored text of each <see cref="IdempotencyKeyState"/>: the words of the <c>idempotency_keys.state</c> CHECK constraint.</summary>
public static class IdempotencyKeyStateText
{
    // Constants, so that the stores' SQL interpolates the one spelling instead of repeating it.
    public const string Processing = "processing";
    public const string Done = "done";

    /// <summary>Every state text.</summary>
    public static readonly IReadOnlyList<string> All = [.. Enum.GetValues<IdempotencyKeyState>().Select(s => s.ToText())];

    public static string ToText(this IdempotencyKeyState state) => state switch
    {
        IdempotencyKeyState.Processing => Processing,
        IdempotencyKeyState.Done => Done,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not an idempotency key state"),
    };
}
