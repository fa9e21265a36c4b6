namespace SleepScoring.Edf;

/// <summary>The flavour of an EDF-family file, from the version field and the reserved field.</summary>
public enum EdfFileType
{
    /// <summary>Plain EDF (1992): 16-bit samples, no annotation signal required.</summary>
    Edf,

    /// <summary>EDF+ continuous: records follow each other without gaps.</summary>
    EdfPlusC,

    /// <summary>EDF+ discontinuous: each record carries its own onset; gaps are allowed.</summary>
    EdfPlusD,

    /// <summary>BioSemi BDF: 24-bit samples.</summary>
    Bdf,

    /// <summary>BDF+ continuous.</summary>
    BdfPlusC,

    /// <summary>BDF+ discontinuous.</summary>
    BdfPlusD,
}

/// <summary>Helpers on <see cref="EdfFileType"/>.</summary>
public static class EdfFileTypeExtensions
{
    /// <summary>True for the 24-bit BDF flavours.</summary>
    public static bool IsBdf(this EdfFileType type) => type is EdfFileType.Bdf or EdfFileType.BdfPlusC or EdfFileType.BdfPlusD;

    /// <summary>True for the EDF+/BDF+ flavours (annotation signal, parsed identification subfields).</summary>
    public static bool IsPlus(this EdfFileType type) => type is not (EdfFileType.Edf or EdfFileType.Bdf);

    /// <summary>True for EDF+D and BDF+D (records may leave gaps).</summary>
    public static bool IsDiscontinuous(this EdfFileType type) => type is EdfFileType.EdfPlusD or EdfFileType.BdfPlusD;

    /// <summary>Bytes per sample: 2 for EDF, 3 for BDF.</summary>
    public static int BytesPerSample(this EdfFileType type) => type.IsBdf() ? 3 : 2;
}
