namespace SleepScoring.Edf;

/// <summary>One signal of an EDF file: its header fields and what follows from them.</summary>
public sealed class EdfSignal
{
    /// <summary>Position of the signal in the file (0-based).</summary>
    public required int Index { get; init; }

    /// <summary>Label, trimmed (e.g. <c>EEG Fpz-Cz</c>, <c>EDF Annotations</c>).</summary>
    public required string Label { get; init; }

    /// <summary>Transducer type, trimmed.</summary>
    public string TransducerType { get; init; } = string.Empty;

    /// <summary>Physical dimension (unit), trimmed, e.g. <c>uV</c>.</summary>
    public string PhysicalDimension { get; init; } = string.Empty;

    /// <summary>Physical value of <see cref="DigitalMinimum"/>.</summary>
    public required double PhysicalMinimum { get; init; }

    /// <summary>Physical value of <see cref="DigitalMaximum"/>.</summary>
    public required double PhysicalMaximum { get; init; }

    /// <summary>Smallest digital value the recorder produces.</summary>
    public required int DigitalMinimum { get; init; }

    /// <summary>Largest digital value the recorder produces.</summary>
    public required int DigitalMaximum { get; init; }

    /// <summary>Prefiltering text, trimmed (e.g. <c>HP:0.1Hz LP:75Hz</c>).</summary>
    public string Prefiltering { get; init; } = string.Empty;

    /// <summary>The signal's reserved field, trimmed.</summary>
    public string Reserved { get; init; } = string.Empty;

    /// <summary>Samples of this signal in each data record.</summary>
    public required int SamplesPerRecord { get; init; }

    /// <summary>Samples per second (samples per record / record duration); 0 when the record duration is 0.</summary>
    public required double SamplingRate { get; init; }

    /// <summary>True for a signal labelled <c>EDF Annotations</c> or <c>BDF Annotations</c>: it holds TALs, not samples.</summary>
    public required bool IsAnnotation { get; init; }

    /// <summary>Samples of this signal in the whole file (records × samples per record).</summary>
    public required long SampleCount { get; init; }

    /// <summary>Microvolts per physical unit: 1 for µV/uV, 1000 for mV, 1e6 for V, 0.001 for nV; null for other units.</summary>
    public double? MicrovoltsPerUnit => PhysicalDimension switch
    {
        "uV" or "µV" or "μV" or "UV" => 1.0,
        "mV" => 1000.0,
        "V" => 1e6,
        "nV" => 1e-3,
        _ => null,
    };

    /// <summary>Physical units per digital step: (pmax − pmin) / (dmax − dmin).</summary>
    public double Gain => (PhysicalMaximum - PhysicalMinimum) / ((double)DigitalMaximum - DigitalMinimum);

    /// <summary>Physical value of digital 0, so that physical = digital × <see cref="Gain"/> + <see cref="Offset"/>.</summary>
    public double Offset => PhysicalMinimum - (Gain * DigitalMinimum);

    /// <summary>Byte offset of this signal's samples inside a data record.</summary>
    internal long OffsetInRecord { get; init; }
}
