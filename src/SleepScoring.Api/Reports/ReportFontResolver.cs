using PdfSharp.Fonts;

using SleepScoring.Rendering.Text;

namespace SleepScoring.Api.Reports;

/// <summary>
/// PDFsharp's Core build finds no system fonts on Linux: every family resolves to the DejaVu Sans
/// face the Rendering project embeds (bold and italic simulated), so reports look the same on
/// every machine and their text stays extractable (the font is embedded as a subset with a
/// ToUnicode map).
/// </summary>
internal sealed class ReportFontResolver : IFontResolver
{
    private const string Face = "DejaVuSans";

    private static readonly Lock Gate = new();

    /// <summary>Installs the resolver once per process (PDFsharp's setting is global and may be set only once).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not ReportFontResolver)
            {
                GlobalFontSettings.FontResolver = new ReportFontResolver();
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) => new(Face, bold, italic);

    public byte[]? GetFont(string faceName) => faceName == Face ? FontFiles.DejaVuSans() : null;
}
