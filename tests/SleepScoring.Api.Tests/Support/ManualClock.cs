namespace SleepScoring.Api.Tests.Support;

/// <summary>
/// A clock the tests move by hand, in place of the service's <see cref="TimeProvider"/>: what the
/// service records and compares (leases, link and key expiry, audit times) follows it. Timers and
/// delays stay on real time (the base class's), so background loops keep running.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}
