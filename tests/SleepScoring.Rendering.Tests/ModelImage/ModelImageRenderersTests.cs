using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Rendering.Tests.ModelImage;

public class ModelImageRenderersTests
{
    [Fact]
    public void Create_Envelope_IsTheDirectRasterizerWithTheLayoutsSize()
    {
        using IEpochImageRenderer renderer = ModelImageRenderers.Create(EpochImageLayout.Medium, 2, TraceDrawingMode.Envelope);

        Assert.IsType<EnvelopeRasterizer>(renderer);
        Assert.Equal(2 * 48 * 480, renderer.ImageByteCount);
    }

    [Fact]
    public void Create_AliasedPolyline_IsTheSkiaRenderer()
    {
        using IEpochImageRenderer renderer = ModelImageRenderers.Create(EpochImageLayout.Small, 2, TraceDrawingMode.Polyline);

        EpochImageRenderer skia = Assert.IsType<EpochImageRenderer>(renderer);
        Assert.False(skia.Antialias);
    }

    [Fact]
    public void Create_AntialiasedPolyline_IsTheDirectWuRasterizer()
    {
        using IEpochImageRenderer renderer = ModelImageRenderers.Create(EpochImageLayout.Large, 3, TraceDrawingMode.Polyline, antialias: true);

        Assert.IsType<AntialiasedPolylineRasterizer>(renderer);
        Assert.Equal(3 * 64 * 750, renderer.ImageByteCount);
    }
}
