using SleepScoring.Analysis.Conditioning;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Training.Data;

/// <summary>
/// What a missing derivation looks like in a model image: the rows of its views as a silent
/// (0 µV) signal draws them — a flat trace on each view's centre line, the same pixels occlusion
/// masks with and inference draws for a montage without that derivation. Replacing a derivation's
/// rows in a rendered image with these equals rendering the epoch with that derivation silent,
/// because each derivation's views occupy their own rows.
/// </summary>
public sealed class SilentDerivation
{
    private readonly byte[] silent;

    /// <summary>Renders the silent image once for the geometry of <paramref name="options"/>.</summary>
    public SilentDerivation(NightImageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Derivations = NightImageOptions.Derivations.Count;
        int views = options.Views.Count;
        using IEpochImageRenderer renderer = ModelImageRenderers.Create(options.Layout, Derivations * views, options.DrawingMode, options.Antialias);
        silent = new byte[renderer.ImageByteCount];
        renderer.Render(new float[renderer.Geometry.DerivationCount * ConditionedEpoch.Samples], silent);
        Width = renderer.Geometry.PlotWidth;
        RowsPerDerivation = views * options.Layout.StripHeight;
        RowsPerView = options.Layout.StripHeight;
        Views = views;
    }

    /// <summary>Views (strips) per derivation, the trace first.</summary>
    public int Views { get; }

    /// <summary>Image rows of one view of one derivation.</summary>
    public int RowsPerView { get; }

    /// <summary>Derivations in the image.</summary>
    public int Derivations { get; }

    /// <summary>Image rows of one derivation (all of its views).</summary>
    public int RowsPerDerivation { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Bytes of one image.</summary>
    public int ImageBytes => silent.Length;

    /// <summary>Draws derivation <paramref name="derivation"/> of <paramref name="image"/> as silent.</summary>
    public void Silence(Span<byte> image, int derivation)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(derivation);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(derivation, Derivations);
        if (image.Length != silent.Length)
        {
            throw new ArgumentException($"An image of {silent.Length} bytes is needed; got {image.Length}.", nameof(image));
        }

        int from = derivation * RowsPerDerivation * Width, count = RowsPerDerivation * Width;
        silent.AsSpan(from, count).CopyTo(image.Slice(from, count));
    }

    /// <summary>Draws view <paramref name="view"/> of derivation <paramref name="derivation"/> of <paramref name="image"/> as a silent signal draws it.</summary>
    public void SilenceView(Span<byte> image, int derivation, int view)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(view);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(view, Views);
        ArgumentOutOfRangeException.ThrowIfNegative(derivation);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(derivation, Derivations);
        if (image.Length != silent.Length)
        {
            throw new ArgumentException($"An image of {silent.Length} bytes is needed; got {image.Length}.", nameof(image));
        }

        int from = ((derivation * RowsPerDerivation) + (view * RowsPerView)) * Width, count = RowsPerView * Width;
        silent.AsSpan(from, count).CopyTo(image.Slice(from, count));
    }

    /// <summary>A copy of <paramref name="night"/> with derivation <paramref name="derivation"/> silent in every epoch (for single-derivation evaluation).</summary>
    public NightImages Silenced(NightImages night, int derivation)
    {
        ArgumentNullException.ThrowIfNull(night);
        byte[] pixels = new byte[night.Count * ImageBytes];
        for (int p = 0; p < night.Count; p++)
        {
            Span<byte> image = pixels.AsSpan(p * ImageBytes, ImageBytes);
            night.Image(p).CopyTo(image);
            Silence(image, derivation);
        }

        return new NightImages(night.SubjectId, night.NightId, night.Height, night.Width, pixels, night.Stages.ToArray(), night.EpochIndices.ToArray());
    }
}
