namespace SleepScoring.Edf;

/// <summary>The general header of an EDF/EDF+/BDF file and what follows from it.</summary>
public sealed class EdfHeader
{
    /// <summary>Bytes of the fixed part of the header, which <see cref="CheckFixedPart"/> needs.</summary>
    public const int FixedPartLength = EdfLayout.FixedHeaderBytes;

    /// <summary>
    /// Checks what the fixed 256-byte part says on its own (version, header size, record count and
    /// duration, signal count), with the reader's own rules, so that bytes that are no EDF can be
    /// refused as soon as they arrive, before the rest of a large upload is received. Opening the
    /// whole file with <see cref="EdfReader"/> checks the rest.
    /// </summary>
    /// <param name="fixedPart">The first bytes of the file: all of them when there are fewer than <see cref="FixedPartLength"/>.</param>
    /// <exception cref="EdfFormatException">The field named in the exception is wrong, or the bytes end before the fixed part does.</exception>
    public static void CheckFixedPart(ReadOnlySpan<byte> fixedPart)
    {
        if (fixedPart.Length < FixedPartLength)
        {
            throw new EdfFormatException("header", fixedPart.Length, null, $"is incomplete: the file has {fixedPart.Length} bytes, an EDF header has at least {FixedPartLength}");
        }

        byte[] bytes = fixedPart[..FixedPartLength].ToArray();
        const long MostSignals = 9999; // the field has four digits
        EdfHeaderParser.ParseFixed(bytes, new HeaderFieldReader(bytes, 0, []), MostSignals, "the most the 4-character field holds");
    }

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
