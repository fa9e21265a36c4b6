namespace SleepScoring.Rendering.Text;

/// <summary>
/// The font file this assembly embeds (DejaVu Sans, licence in Fonts/LICENSE-DejaVu.txt), for
/// other renderers that need the same face: the plots and the PDF report then look alike.
/// </summary>
public static class FontFiles
{
    /// <summary>Family name of the embedded face.</summary>
    public const string DejaVuSansFamily = "DejaVu Sans";

    private const string ResourceName = "SleepScoring.Rendering.Fonts.DejaVuSans.ttf";

    private static readonly Lazy<byte[]> Bytes = new(() =>
    {
        using Stream stream = OpenDejaVuSans();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>A new stream over the TrueType file.</summary>
    /// <exception cref="InvalidOperationException">The resource is missing from the assembly (a broken build).</exception>
    public static Stream OpenDejaVuSans() =>
        typeof(FontFiles).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded font resource '{ResourceName}' is missing from {typeof(FontFiles).Assembly.GetName().Name}.");

    /// <summary>The TrueType file's bytes (read once, shared; do not modify).</summary>
    public static byte[] DejaVuSans() => Bytes.Value;
}
