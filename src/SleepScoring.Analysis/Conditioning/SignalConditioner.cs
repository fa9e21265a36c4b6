using System.Collections.Concurrent;

using SleepScoring.Analysis.Signals;

namespace SleepScoring.Analysis.Conditioning;

/// <summary>One recorded signal to condition: physical samples (µV, records concatenated as stored) and how to filter it.</summary>
/// <param name="Samples">Physical values.</param>
/// <param name="SamplingRate">Samples per second.</param>
/// <param name="SamplesPerRecord">Samples per data record.</param>
/// <param name="Filter">Filter applied after resampling.</param>
public sealed record SignalInput(float[] Samples, double SamplingRate, int SamplesPerRecord, SignalFilterKind Filter);

/// <summary>
/// Turns recorded signals into the model's form: µV at 100 Hz on the recording's clock timeline.
/// Each gap-free segment is processed on its own (optional mains notch at the original rate,
/// anti-aliased resampling, zero-phase filter) so nothing smears across an EDF+D gap; samples
/// inside gaps are zero and their epochs are excluded by <see cref="EpochGrid"/>. Signals are
/// resampled in parallel and band-passed four at a time (<see cref="ZeroPhaseFilter.ApplyAll"/>).
/// Thread-safe: resamplers are designed once per rate and shared.
/// </summary>
public sealed class SignalConditioner(ConditioningOptions options)
{
    /// <summary>The model's sampling rate in Hz.</summary>
    public const double ModelRate = 100;

    private readonly ConcurrentDictionary<double, Resampler> _resamplers = new();

    /// <summary>The filter settings.</summary>
    public ConditioningOptions Options { get; } = options;

    /// <summary>Conditions one signal into round(duration × 100) samples.</summary>
    public float[] Condition(
        ReadOnlySpan<float> samples, double samplingRate, int samplesPerRecord,
        IReadOnlyList<DataSegment> segments, double duration, SignalFilterKind filter) =>
        ConditionAll([new SignalInput(samples.ToArray(), samplingRate, samplesPerRecord, filter)], segments, duration)[0];

    /// <summary>Conditions every input into round(duration × 100) samples each, in input order.</summary>
    public float[][] ConditionAll(IReadOnlyList<SignalInput> inputs, IReadOnlyList<DataSegment> segments, double duration)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(segments);
        int length = (int)Math.Round(duration * ModelRate);
        var outputs = new float[inputs.Count][];
        Parallel.For(0, inputs.Count, i => outputs[i] = Place(inputs[i], segments, length));

        ZeroPhaseFilter bandPass = ZeroPhaseFilter.BandPass(ModelRate, Options.HighPass, Options.LowPass);
        ZeroPhaseFilter emg = new([Biquad.HighPass(ModelRate, Options.EmgHighPass)]);
        float[][] bandPassed = [.. outputs.Where((_, i) => inputs[i].Filter == SignalFilterKind.BandPass)];
        float[][] emgFiltered = [.. outputs.Where((_, i) => inputs[i].Filter == SignalFilterKind.Emg && inputs[i].SamplingRate >= 25)];
        foreach (DataSegment segment in segments)
        {
            int at = (int)Math.Round(segment.Start * ModelRate);
            int count = Math.Min((int)Math.Round(segment.Duration * ModelRate), length - at);
            if (count > 0)
            {
                bandPass.ApplyAll(bandPassed, at, count);
                emg.ApplyAll(emgFiltered, at, count);
            }
        }

        return outputs;
    }

    /// <summary>Notches and resamples each segment and places it on the 100-Hz timeline.</summary>
    private float[] Place(SignalInput input, IReadOnlyList<DataSegment> segments, int length)
    {
        float[] output = new float[length];
        Resampler resampler = _resamplers.GetOrAdd(input.SamplingRate, rate => new Resampler(rate, ModelRate));
        foreach (DataSegment segment in segments)
        {
            long first = (long)segment.FirstRecord * input.SamplesPerRecord;
            long count = Math.Min((long)segment.RecordCount * input.SamplesPerRecord, input.Samples.Length - first);
            if (count <= 0)
            {
                continue;
            }

            float[] piece = input.Samples.AsSpan((int)first, (int)count).ToArray();
            if (Options.Mains is double mains && mains < 0.45 * input.SamplingRate)
            {
                ZeroPhaseFilter.Notch(input.SamplingRate, mains).Apply(piece);
            }

            float[] resampled = input.SamplingRate == ModelRate ? piece : resampler.Process(piece);
            int at = (int)Math.Round(segment.Start * ModelRate);
            int take = Math.Min(resampled.Length, length - at);
            if (take > 0)
            {
                resampled.AsSpan(0, take).CopyTo(output.AsSpan(at));
            }
        }

        return output;
    }
}
