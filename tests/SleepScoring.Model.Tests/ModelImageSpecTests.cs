using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Model.Tests;

public sealed class ModelImageSpecTests
{
    private static readonly ModelImageSpec Shipped = ModelImageSpec.Create(
        EpochImageLayout.Small, ["EEG Fpz-Cz", "EEG Pz-Oz"], [TraceView.Trace(100), new(4, 8, 20), new(8, 13, 10), new(13, 30, 10)], segments: 15);

    [Fact]
    public void The_image_height_is_derivations_times_views_times_strip_rows()
    {
        // 2 derivations × 4 views × 32 rows, 300 columns: the shipped 256 × 300 input.
        Assert.Equal(256, Shipped.ImageHeight);
        Assert.Equal(256 * 300, Shipped.ImageBytes);
        Assert.Equal(4, Shipped.StripsPerDerivation);
    }

    [Fact]
    public void A_spec_without_views_draws_the_trace_alone()
    {
        ModelImageSpec old = Shipped with { Views = [] };

        Assert.Equal(64, old.ImageHeight);
        Assert.Equal(["raw@100"], old.ParseViews().Select(v => v.Name));
    }

    [Fact]
    public void The_renderer_and_the_cells_follow_the_spec()
    {
        using IEpochImageRenderer renderer = Shipped.CreateRenderer();

        Assert.Equal(256 * 300, renderer.ImageByteCount);
        Assert.Equal(8, renderer.Geometry.DerivationCount); // one strip per derivation and view
        // A saliency cell spans all four views of its derivation and 2 s (20 columns).
        var cells = Shipped.CellGeometry();
        Assert.Equal(2, cells.DerivationCount);
        Assert.Equal(128, cells.StripHeight);
    }

    [Fact]
    public void SameAs_compares_every_field()
    {
        Assert.True(Shipped.SameAs(Shipped with { Views = [.. Shipped.Views] }));
        Assert.False(Shipped.SameAs(Shipped with { Segments = 30 }));
        Assert.False(Shipped.SameAs(Shipped with { Derivations = ["EEG Fpz-Cz"] }));
        Assert.False(Shipped.SameAs(Shipped with { Views = ["raw@100"] }));
    }

    [Fact]
    public void A_malformed_view_is_a_model_file_error_naming_it()
    {
        ModelFileException error = Assert.Throws<ModelFileException>(() => (Shipped with { Views = ["raw@100", "alpha@10"] }).Validate());

        Assert.Contains("alpha@10", error.Message, StringComparison.Ordinal);
    }
}
