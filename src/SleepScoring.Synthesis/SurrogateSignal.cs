namespace SleepScoring.Synthesis;

/// <summary>One synthesised channel with the header fields a Sleep-EDF PSG file gives it.</summary>
/// <param name="Label">EDF label, e.g. <c>EEG Fpz-Cz</c>.</param>
/// <param name="Transducer">EDF transducer type.</param>
/// <param name="Dimension">Physical dimension (<c>uV</c>, <c>DegC</c>, or empty).</param>
/// <param name="Prefiltering">EDF prefiltering text.</param>
/// <param name="SamplingRate">Samples per second.</param>
/// <param name="Samples">Physical values.</param>
public sealed record SurrogateSignal(
    string Label, string Transducer, string Dimension, string Prefiltering, double SamplingRate, float[] Samples);

/// <summary>A synthesised night: its signals and which 30-s epochs came from a scored table row.</summary>
/// <param name="Name">Recording name taken from the feature table, e.g. <c>SC4001E0</c>.</param>
/// <param name="EpochCount">Number of 30-s epochs.</param>
/// <param name="Signals">Channels in Sleep-EDF order.</param>
/// <param name="FromScoredRow">Per epoch: true when its EEG reproduces a table row, false for filler.</param>
public sealed record SurrogateRecording(string Name, int EpochCount, IReadOnlyList<SurrogateSignal> Signals, bool[] FromScoredRow);
