namespace SleepScoring.Edf;

/// <summary>The general header of an EDF/EDF+/BDF file and what follows from it.</summary>
public sealed class EdfHeader
{
    /// <summary>The version field, trimmed: <c>0</c> for EDF, <c>BIOSEMI</c> for BDF (after the 0xFF byte).</summary>
    public required string Version { get; init; }

    /// <summary>EDF, EDF+C/D, BDF or BDF+C/D.</summary>
    public required EdfFileType FileType { get; init; }

    /// <summary>The local patient identification, raw (trimmed). Protected health information: never log it.</summary>
    public required string PatientIdentification { get; init; }

    /// <summary>The local recording identification, raw (trimmed).</summary>
    public required string RecordingIdentification { get; init; }

    /// <summary>The EDF+ patient subfields, or null when the file is plain EDF or the field does not follow EDF+.</summary>
    public EdfPatient? Patient { get; init; }

    /// <summary>The EDF+ recording subfields, or null when the file is plain EDF or the field does not follow EDF+.</summary>
    public EdfRecording? Recording { get; init; }

    /// <summary>Start of the recording (local time of the recorder), including the EDF+ sub-second start offset.</summary>
    public required DateTime StartTime { get; init; }

    /// <summary>Size of the header in bytes: 256 × (signals + 1).</summary>
    public required int HeaderBytes { get; init; }

    /// <summary>The reserved field, trimmed (starts with <c>EDF+C</c>/<c>EDF+D</c> in EDF+ files).</summary>
    public required string Reserved { get; init; }

    /// <summary>Number of complete data records in the file (derived from the file size when the header disagrees).</summary>
    public required long RecordCount { get; init; }

    /// <summary>Duration of a data record in seconds (0 for annotation-only files).</summary>
    public required double RecordDuration { get; init; }

    /// <summary>Number of signals, annotation signals included.</summary>
    public required int SignalCount { get; init; }

    /// <summary>Seconds from <see cref="StartTime"/> to the end of the last data record.</summary>
    public required double Duration { get; init; }
}
