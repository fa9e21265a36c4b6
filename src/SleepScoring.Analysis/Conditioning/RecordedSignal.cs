namespace SleepScoring.Analysis.Conditioning;

/// <summary>Fills <paramref name="destination"/> (the whole signal, <see cref="RecordedSignal.SampleCount"/> samples) with physical values in µV.</summary>
/// <param name="destination">Where to write; owned by the conditioner and reused after the call.</param>
public delegate void SampleReader(Span<float> destination);

/// <summary>
/// One recorded signal to condition, read on demand: the conditioner asks for its samples only when
/// a worker is ready to resample it, into a buffer it reuses for the next signal, so at most one
/// full-rate copy per worker exists at a time.
/// </summary>
/// <param name="SampleCount">Samples in the signal (records concatenated as stored).</param>
/// <param name="SamplingRate">Samples per second.</param>
/// <param name="SamplesPerRecord">Samples per data record.</param>
/// <param name="Filter">Filter applied after resampling.</param>
/// <param name="Read">Writes the samples in µV; may be called from any thread, one call per signal.</param>
public sealed record RecordedSignal(int SampleCount, double SamplingRate, int SamplesPerRecord, SignalFilterKind Filter, SampleReader Read);
