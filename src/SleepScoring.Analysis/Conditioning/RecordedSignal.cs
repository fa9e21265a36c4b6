namespace SleepScoring.Analysis.Conditioning;

/// <summary>
/// Fills <paramref name="destination"/> with the samples from <paramref name="first"/> in µV. The
/// conditioner asks for each sample exactly once, in order, so a reader may count what it reads
/// (e.g. clipped samples).
/// </summary>
/// <param name="first">Index of the first sample (records concatenated as stored).</param>
/// <param name="destination">Where to write; owned by the conditioner and reused after the call.</param>
public delegate void SampleReader(long first, Span<float> destination);

/// <summary>
/// One recorded signal to condition, read on demand in pieces: the conditioner streams it through
/// resampling and filtering, so no full-rate copy of a night exists in memory.
/// </summary>
/// <param name="SampleCount">Samples in the signal (records concatenated as stored).</param>
/// <param name="SamplingRate">Samples per second.</param>
/// <param name="SamplesPerRecord">Samples per data record.</param>
/// <param name="Filter">Filter applied after resampling.</param>
/// <param name="Read">Reads samples in µV; called from one worker thread per signal.</param>
public sealed record RecordedSignal(long SampleCount, double SamplingRate, int SamplesPerRecord, SignalFilterKind Filter, SampleReader Read);
