using System.Collections.Concurrent;
using SleepScoring.Analysis.Signals;

namespace SleepScoring.Analysis.Conditioning;

/// <summary>
/// Turns one recorded signal into the model's form: µV at 100 Hz on the recording's clock
/// timeline. Each gap-free segment is processed on its own (optional mains notch at the original
/// rate, anti-aliased resampling, zero-phase filter) so nothing smears across an EDF+D gap;
/// samples inside gaps are zero and their epochs are excluded by <see cref="EpochGrid"/>.
/// Thread-safe: resamplers are designed once per rate and shared.
/// </summary>
public sealed class SignalConditioner(ConditioningOptions options)
{
    /// <summary>The model's sampling rate in Hz.</summary>
    public const double ModelRate = 100;

    private readonly ConcurrentDictionary<double, Resampler> _resamplers = new();

    /// <summary>The filter settings.</summary>
    public ConditioningOptions Options { get; } = options;

    /// <summary>
    /// Conditions <paramref name="samples"/> (physical values in µV, records concatenated as stored)
    /// into round(duration × 100) samples.
    /// </summary>
    public float[] Condition(
        ReadOnlySpan<float> samples, double samplingRate, int samplesPerRecord,
        IReadOnlyList<DataSegment> segments, double duration, SignalFilterKind filter)
    {
        ArgumentNullException.ThrowIfNull(segments);
        float[] output = new float[(int)Math.Round(duration * ModelRate)];
        Resampler resampler = _resamplers.GetOrAdd(samplingRate, rate => new Resampler(rate, ModelRate));
        foreach (DataSegment segment in segments)
        {
            long first = (long)segment.FirstRecord * samplesPerRecord;
            long count = Math.Min((long)segment.RecordCount * samplesPerRecord, samples.Length - first);
            if (count <= 0)
            {
                continue;
            }

            float[] piece = samples.Slice((int)first, (int)count).ToArray();
            if (Options.Mains is double mains && mains < 0.45 * samplingRate)
            {
                ZeroPhaseFilter.Notch(samplingRate, mains).Apply(piece);
            }

            float[] resampled = samplingRate == ModelRate ? piece : resampler.Process(piece);
            ApplyFilter(resampled, filter, samplingRate);
            int at = (int)Math.Round(segment.Start * ModelRate);
            int length = Math.Min(resampled.Length, output.Length - at);
            if (length > 0)
            {
                resampled.AsSpan(0, length).CopyTo(output.AsSpan(at));
            }
        }

        return output;
    }

    private void ApplyFilter(float[] signal, SignalFilterKind filter, double originalRate)
    {
        switch (filter)
        {
            case SignalFilterKind.BandPass:
                ZeroPhaseFilter.BandPass(ModelRate, Options.HighPass, Options.LowPass).Apply(signal);
                break;
            case SignalFilterKind.Emg when originalRate >= 25:
                new ZeroPhaseFilter([Biquad.HighPass(ModelRate, Options.EmgHighPass)]).Apply(signal);
                break;
            default:
                break;
        }
    }
}
