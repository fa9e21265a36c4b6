namespace SleepScoring.Training.Training;

/// <summary>
/// SplitMix64 generator whose whole state is one <see cref="ulong"/>, so shuffling can be
/// checkpointed and resumed exactly (System.Random's state cannot be saved).
/// </summary>
public sealed class SeededRandom
{
    /// <summary>Starts from <paramref name="seed"/>.</summary>
    public SeededRandom(ulong seed) => State = seed;

    /// <summary>The full generator state; assign a saved value to resume.</summary>
    public ulong State { get; set; }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = State += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform number in [0, 1): the top 53 bits of <see cref="NextUInt64"/>.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>
    /// FNV-1a (64-bit) of <paramref name="text"/>: a seed from a name, the same in every process and on
    /// every platform (string.GetHashCode is drawn anew per process, which made seeded rows differ between runs).
    /// </summary>
    public static ulong StableKey(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ulong hash = 0xCBF29CE484222325UL;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 0x100000001B3UL;
        }

        return hash;
    }

    /// <summary>Uniform integer in [0, <paramref name="exclusiveMax"/>) by rejection (no modulo bias).</summary>
    public int NextInt(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        ulong bound = (ulong)exclusiveMax;
        ulong limit = ulong.MaxValue - (ulong.MaxValue % bound);
        ulong value;
        do
        {
            value = NextUInt64();
        }
        while (value >= limit);
        return (int)(value % bound);
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
