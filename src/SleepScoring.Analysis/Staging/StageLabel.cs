using System.Globalization;

namespace SleepScoring.Analysis.Staging;

/// <summary>
/// Stage labels as they appear in hypnogram files, and the labels we write.
/// Reading (case-insensitive, surrounding spaces ignored):
/// <list type="bullet">
/// <item>Sleep-EDF / R&amp;K: <c>Sleep stage W/1/2/3/4/R/?</c>, <c>Movement time</c>; stages 3 and 4 become N3,
/// <c>?</c> and movement time become <see cref="SleepStage.Unscored"/>.</item>
/// <item>AASM (HMC, EDFbrowser): <c>Sleep stage N1/N2/N3/R/W</c>, <c>Stage N2</c>…</item>
/// <item>Short forms (slpdb, YASA): <c>W</c>, <c>Wake</c>, <c>N1</c>–<c>N3</c>, <c>S1</c>–<c>S4</c>, <c>R</c>, <c>REM</c>,
/// <c>MT</c> (→ Unscored), <c>Uns</c>, <c>ND</c>, <c>?</c> (→ Unscored), <c>Art</c>, <c>Artefact</c>, <c>Artifact</c> (→ Artefact).</item>
/// </list>
/// YASA's integer encoding (0 W, 1 N1, 2 N2, 3 N3, 4 R, −1 Art, −2 Uns) is read by <see cref="TryParseYasaInteger"/>.
/// </summary>
public static class StageLabel
{
    private static readonly Dictionary<string, SleepStage> Short = new(StringComparer.OrdinalIgnoreCase)
    {
        ["W"] = SleepStage.W,
        ["Wake"] = SleepStage.W,
        ["0"] = SleepStage.W, // "Sleep stage 0" appears in some R&K exports for wake
        ["1"] = SleepStage.N1,
        ["N1"] = SleepStage.N1,
        ["S1"] = SleepStage.N1,
        ["2"] = SleepStage.N2,
        ["N2"] = SleepStage.N2,
        ["S2"] = SleepStage.N2,
        ["3"] = SleepStage.N3,
        ["4"] = SleepStage.N3,
        ["N3"] = SleepStage.N3,
        ["N4"] = SleepStage.N3,
        ["S3"] = SleepStage.N3,
        ["S4"] = SleepStage.N3,
        ["R"] = SleepStage.R,
        ["REM"] = SleepStage.R,
        ["?"] = SleepStage.Unscored,
        ["Uns"] = SleepStage.Unscored,
        ["Unscored"] = SleepStage.Unscored,
        ["ND"] = SleepStage.Unscored,
        ["MT"] = SleepStage.Unscored,
        ["Movement time"] = SleepStage.Unscored,
        ["Art"] = SleepStage.Artefact,
        ["Artefact"] = SleepStage.Artefact,
        ["Artifact"] = SleepStage.Artefact,
    };

    /// <summary>Reads a stage label; false when <paramref name="text"/> is not one (e.g. <c>Lights off</c>).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out SleepStage stage)
    {
        ReadOnlySpan<char> t = text.Trim();
        foreach (string prefix in (ReadOnlySpan<string>)["Sleep stage ", "Sleep_stage_", "Stage "])
        {
            if (t.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                t = t[prefix.Length..].Trim();
                break;
            }
        }

        return Short.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(t, out stage);
    }

    /// <summary>Reads YASA's integer code: 0 W, 1 N1, 2 N2, 3 N3, 4 R, −1 artefact, −2 unscored.</summary>
    public static bool TryParseYasaInteger(ReadOnlySpan<char> text, out SleepStage stage)
    {
        stage = SleepStage.Unscored;
        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int code))
        {
            return false;
        }

        switch (code)
        {
            case >= 0 and <= 4:
                stage = (SleepStage)code;
                return true;
            case -1:
                stage = SleepStage.Artefact;
                return true;
            case -2:
                stage = SleepStage.Unscored;
                return true;
            default:
                return false;
        }
    }

    /// <summary>YASA's integer code of <paramref name="stage"/> (the inverse of <see cref="TryParseYasaInteger"/>).</summary>
    public static int ToYasaInteger(SleepStage stage) => stage switch
    {
        SleepStage.Artefact => -1,
        SleepStage.Unscored => -2,
        _ => (int)stage,
    };

    /// <summary>The short label we write: <c>W N1 N2 N3 R Uns Art</c> (YASA's string spelling).</summary>
    public static string ToShort(SleepStage stage) => stage switch
    {
        SleepStage.W => "W",
        SleepStage.N1 => "N1",
        SleepStage.N2 => "N2",
        SleepStage.N3 => "N3",
        SleepStage.R => "R",
        SleepStage.Unscored => "Uns",
        SleepStage.Artefact => "Art",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Undefined stage."),
    };

    /// <summary>
    /// The EDF+ annotation text of <paramref name="stage"/> in <paramref name="style"/>. Sleep-EDF
    /// style writes N3 as <c>Sleep stage 3</c>, and both unscored and artefact as <c>Sleep stage ?</c>
    /// (R&amp;K has no artefact stage, so that distinction is lost there; AASM style keeps it).
    /// </summary>
    public static string ToAnnotation(SleepStage stage, StageLabelStyle style) => (stage, style) switch
    {
        (SleepStage.W, _) => "Sleep stage W",
        (SleepStage.N1, StageLabelStyle.SleepEdf) => "Sleep stage 1",
        (SleepStage.N2, StageLabelStyle.SleepEdf) => "Sleep stage 2",
        (SleepStage.N3, StageLabelStyle.SleepEdf) => "Sleep stage 3",
        (SleepStage.N1, _) => "Sleep stage N1",
        (SleepStage.N2, _) => "Sleep stage N2",
        (SleepStage.N3, _) => "Sleep stage N3",
        (SleepStage.R, _) => "Sleep stage R",
        (SleepStage.Unscored, _) => "Sleep stage ?",
        (SleepStage.Artefact, StageLabelStyle.SleepEdf) => "Sleep stage ?",
        (SleepStage.Artefact, _) => "Artefact",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Undefined stage."),
    };
}

/// <summary>Which family of annotation texts a hypnogram EDF+ file is written with.</summary>
public enum StageLabelStyle
{
    /// <summary>Sleep-EDF (R&amp;K spelling): <c>Sleep stage W/1/2/3/R/?</c>.</summary>
    SleepEdf,

    /// <summary>AASM spelling as in the HMC database: <c>Sleep stage W/N1/N2/N3/R/?</c>, <c>Artefact</c>.</summary>
    Aasm,
}
