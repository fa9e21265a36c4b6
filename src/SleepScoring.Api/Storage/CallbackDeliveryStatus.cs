namespace SleepScoring.Api.Storage;

/// <summary>How a callback's delivery ended (stored as the text of <see cref="CallbackDeliveryStatusText"/> in <c>callback_deliveries.status</c>).</summary>
public enum CallbackDeliveryStatus
{
    Delivered,
    Failed,
}

/// <summary>The stored text of each <see cref="CallbackDeliveryStatus"/>: the words of the <c>callback_deliveries.status</c> CHECK constraint.</summary>
public static class CallbackDeliveryStatusText
{
    /// <summary>Every status text.</summary>
    public static readonly IReadOnlyList<string> All = [.. Enum.GetValues<CallbackDeliveryStatus>().Select(s => s.ToText())];

    public static string ToText(this CallbackDeliveryStatus status) => status switch
    {
        CallbackDeliveryStatus.Delivered => "delivered",
        CallbackDeliveryStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a callback delivery status"),
    };
}
