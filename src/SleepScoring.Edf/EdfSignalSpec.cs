namespace SleepScoring.Edf;

/// <summary>What <see cref="EdfWriter"/> writes into one signal's header fields.</summary>
/// <param name="Label">Signal label (≤ 16 ASCII characters), e.g. <c>EEG Fpz-Cz</c>.</param>
/// <param name="PhysicalMinimum">Physical value of <see cref="DigitalMinimum"/> (must fit 8 characters).</param>
/// <param name="PhysicalMaximum">Physical value of <see cref="DigitalMaximum"/>.</param>
/// <param name="SamplesPerRecord">Samples of this signal in each data record.</param>
public sealed record EdfSignalSpec(string Label, double PhysicalMinimum, double PhysicalMaximum, int SamplesPerRecord)
{
    /// <summary>Transducer type (≤ 80 ASCII characters).</summary>
    public string TransducerType { get; init; } = string.Empty;

    /// <summary>Physical dimension (≤ 8 ASCII characters), e.g. <c>uV</c>.</summary>
    public string PhysicalDimension { get; init; } = string.Empty;

    /// <summary>Digital minimum; default −32768.</summary>
    public int DigitalMinimum { get; init; } = short.MinValue;

    /// <summary>Digital maximum; default 32767.</summary>
    public int DigitalMaximum { get; init; } = short.MaxValue;

    /// <summary>Prefiltering (≤ 80 ASCII characters), e.g. <c>HP:0.5Hz LP:35Hz</c>.</summary>
    public string Prefiltering { get; init; } = string.Empty;
}
