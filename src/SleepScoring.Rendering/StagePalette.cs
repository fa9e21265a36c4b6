using SkiaSharp;

using SleepScoring.Analysis;

namespace SleepScoring.Rendering;

/// <summary>Colours and clinical display order of the five scored stages, shared by every plot.</summary>
public static class StagePalette
{
    /// <summary>Hypnogram rows top to bottom, the clinical convention: W, R, N1, N2, N3.</summary>
    public static IReadOnlyList<SleepStage> DisplayOrder { get; } = [SleepStage.W, SleepStage.R, SleepStage.N1, SleepStage.N2, SleepStage.N3];

    /// <summary>Row of <paramref name="stage"/> in <see cref="DisplayOrder"/>, or −1 for unscored/artefact.</summary>
    public static int DisplayRow(SleepStage stage) => stage switch
    {
        SleepStage.W => 0,
        SleepStage.R => 1,
        SleepStage.N1 => 2,
        SleepStage.N2 => 3,
        SleepStage.N3 => 4,
        _ => -1,
    };

    /// <summary>The stage's colour (amber wake, red REM, blues deepening with NREM depth).</summary>
    public static SKColor Color(SleepStage stage) => stage switch
    {
        SleepStage.W => new SKColor(0xE8, 0xA8, 0x20),
        SleepStage.R => new SKColor(0xD6, 0x3A, 0x3A),
        SleepStage.N1 => new SKColor(0x8C, 0xC8, 0xEB),
        SleepStage.N2 => new SKColor(0x35, 0x7E, 0xC7),
        SleepStage.N3 => new SKColor(0x16, 0x2E, 0x74),
        _ => new SKColor(0xB0, 0xB0, 0xB0),
    };
}
