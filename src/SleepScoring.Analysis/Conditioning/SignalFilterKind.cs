namespace SleepScoring.Analysis.Conditioning;

/// <summary>Which conditioning filter a signal gets after resampling to 100 Hz.</summary>
public enum SignalFilterKind
{
    /// <summary>Resample only.</summary>
    None,

    /// <summary>EEG/EOG band-pass (default 0.3–35 Hz).</summary>
    BandPass,

    /// <summary>EMG high-pass (default 10 Hz); skipped for envelope channels sampled below 25 Hz.</summary>
    Emg,
}
