using System.Buffers;

using SleepScoring.Edf;

namespace SleepScoring.Api.Signals;

/// <summary>
/// One channel over a time window, ready to draw: the samples themselves when there are at most two
/// per pixel column, else a min/max envelope per column. Null entries are times without data (the
/// gaps of an EDF+D file, or past the recording's end).
/// </summary>
public sealed record ChannelWindow(
    int Index,
    string Label,
    string Unit,
    string Kind,
    double SamplingRate,
    double PhysicalMinimum,
    double PhysicalMaximum,
    string Prefiltering,
    string Format,
    float?[]? Samples,
    float?[]? Min,
    float?[]? Max)
{
    /// <summary>Names of the model's derivations this channel feeds (as signal or reference); empty when the model does not read it.</summary>
    public IReadOnlyList<string> ModelDerivations { get; init; } = [];
}

/// <summary>Cuts windows of signals out of an EDF: by record, so a 30-s page of a long night reads 30 s of the file.</summary>
public static class SignalWindow
{
    public const string SamplesFormat = "samples", EnvelopeFormat = "envelope";

    /// <summary>The window [start, start + duration) s of signal <paramref name="signal"/>, for <paramref name="columns"/> pixel columns.</summary>
    public static ChannelWindow Read(EdfReader reader, int signal, double start, double duration, int columns)
    {
        ArgumentNullException.ThrowIfNull(reader);
        EdfSignal s = reader.Signals[signal];
        double rate = s.SamplingRate;
        int expected = (int)Math.Round(duration * rate);
        bool samples = expected <= 2 * columns;
        int length = samples ? expected : columns;
        var min = new float?[length];
        float?[]? max = samples ? null : new float?[length];
        float[] buffer = ArrayPool<float>.Shared.Rent(Math.Max(1, s.SamplesPerRecord));
        try
        {
            for (int r = 0; r < reader.RecordOnsets.Count && rate > 0; r++)
            {
                double onset = reader.RecordOnsets[r];
                long k0 = Math.Max(0, (long)Math.Ceiling(((start - onset) * rate) - 1e-9));
                long k1 = Math.Min(s.SamplesPerRecord, (long)Math.Ceiling(((start + duration - onset) * rate) - 1e-9));
                if (k1 <= k0)
                {
                    continue;
                }

                int count = reader.ReadPhysical(signal, ((long)r * s.SamplesPerRecord) + k0, buffer.AsSpan(0, (int)(k1 - k0)));
                for (int k = 0; k < count; k++)
                {
                    // Whole samples from the window's start, so column edges fall between samples, never through one.
                    long j = (long)Math.Round(((onset - start) * rate) + k0 + k);
                    int at = samples ? (int)j : (int)(j * columns / Math.Max(1, expected));
                    if (at < 0 || at >= length)
                    {
                        continue;
                    }

                    float v = buffer[k];
                    if (max is null)
                    {
                        min[at] = v;
                    }
                    else
                    {
                        min[at] = min[at] is float lo && lo <= v ? lo : v;
                        max[at] = max[at] is float hi && hi >= v ? hi : v;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }

        return new ChannelWindow(
            signal,
            s.Label,
            s.PhysicalDimension,
            ChannelKind.Of(s.Label, s.TransducerType, s.PhysicalDimension),
            rate,
            s.PhysicalMinimum,
            s.PhysicalMaximum,
            s.Prefiltering,
            samples ? SamplesFormat : EnvelopeFormat,
            samples ? min : null,
            samples ? null : min,
            max);
    }
}
