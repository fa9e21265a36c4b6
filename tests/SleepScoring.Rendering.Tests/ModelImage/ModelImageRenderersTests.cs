using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Rendering.Tests.ModelImage;

public class ModelImageRenderersTests
{
    [Fact]
    public void Create_Envelope_IsTheDirectRasterizerWithTheLayoutsSize()
    {
        IEpochImageRenderer renderer = ModelImageRenderers.Create(EpochImageLayout.Medium, 2, TraceDrawingMode.Envelope);

        Assert.IsType<EnvelopeRasterizer>(renderer);
        Assert.Equal(2 * 48 * 480, renderer.ImageByteCount);
    }

    [Fact]
    public void Create_Polyline_IsTheSkiaRenderer()
    {
        IEpochImageRenderer renderer = ModelImageRenderers.Create(EpochImageLayout.Large, 3, TraceDrawingMode.Polyline, antialias: true);
        using var disposable = (IDisposable)renderer;

        EpochImageRenderer skia = Assert.IsType<EpochImageRenderer>(renderer);
        Assert.True(skia.Antialias);
        Assert.Equal(3 * 64 * 750, renderer.ImageByteCount);
    }
}
