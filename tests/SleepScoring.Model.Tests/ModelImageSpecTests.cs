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
        Assert.True(Shipped.SameAs(Shipped with { ConditioningLowPass = 35 })); // null means the conditioning's 35 Hz
        Assert.False(Shipped.SameAs(Shipped with { ConditioningLowPass = 45 }));
        Assert.False(Shipped.SameAs(Shipped with { AmplitudeNormalisation = new(0.25, [7, 5]) }));
        Assert.True((Shipped with { AmplitudeNormalisation = new(0.25, [7, 5]) }).SameAs(Shipped with { AmplitudeNormalisation = new(0.25, [7.0, 5.0]) }));
        Assert.False((Shipped with { AmplitudeNormalisation = new(0.25, [7, 5]) }).SameAs(Shipped with { AmplitudeNormalisation = new(0.5, [7, 5]) }));
        Assert.False(Shipped.SameAs(Shipped with { NarrowBand = 25 }));
        Assert.False((Shipped with { AmplitudeNormalisation = new(0.25, [7, 5]) }).SameAs(Shipped with { AmplitudeNormalisation = new(0.25, [7, 5]) { OverRecording = true } }));
    }

    [Fact]
    public void A_card_without_the_conditioning_fields_reads_as_drawn_after_35_hz_without_normalisation()
    {
        // Cards written before the fields existed (model 2.1.0) omit them; a spec without them writes none.
        string json = System.Text.Json.JsonSerializer.Serialize(Shipped, ModelCard.Json);
        ModelImageSpec read = System.Text.Json.JsonSerializer.Deserialize<ModelImageSpec>(json, ModelCard.Json)!;

        Assert.DoesNotContain("conditioning_low_pass", json, StringComparison.Ordinal);
        Assert.DoesNotContain("amplitude_normalisation", json, StringComparison.Ordinal);
        Assert.DoesNotContain("narrow_band", json, StringComparison.Ordinal);
        Assert.DoesNotContain("filter_edges", json, StringComparison.Ordinal);
        Assert.Null(read.NarrowBand);
        Assert.Null(read.FilterEdges);
        Assert.Equal(35, read.EffectiveConditioningLowPass);
        Assert.Null(read.AmplitudeNormalisation);

        ModelImageSpec muscle = Shipped with { ConditioningLowPass = 45, AmplitudeNormalisation = new(0.25, [7, 5]) { OverRecording = true }, NarrowBand = 25 };
        ModelImageSpec back = System.Text.Json.JsonSerializer.Deserialize<ModelImageSpec>(System.Text.Json.JsonSerializer.Serialize(muscle, ModelCard.Json), ModelCard.Json)!;
        Assert.True(back.SameAs(muscle));
        Assert.Equal(45, back.EffectiveConditioningLowPass);
        Assert.Equal(25, back.NarrowBand);
        Assert.True(back.AmplitudeNormalisation!.OverRecording);
        ModelImageSpec filters = muscle with { FilterEdges = [20, 15] };
        string filterJson = System.Text.Json.JsonSerializer.Serialize(filters, ModelCard.Json);
        Assert.Contains("\"filter_edges\"", filterJson, StringComparison.Ordinal);
        Assert.True(System.Text.Json.JsonSerializer.Deserialize<ModelImageSpec>(filterJson, ModelCard.Json)!.SameAs(filters));
        Assert.False(filters.SameAs(muscle));
        Assert.DoesNotContain("over_recording", System.Text.Json.JsonSerializer.Serialize(Shipped with { AmplitudeNormalisation = new(0.25, [7, 5]) }, ModelCard.Json), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(45.0, 45.0)]
    [InlineData(null, 40.0)]
    [InlineData(45.0, 0.5)]
    public void A_narrow_band_must_lie_below_the_conditioning_low_pass(double? lowPass, double narrowBand)
    {
        ModelFileException error = Assert.Throws<ModelFileException>((Shipped with { ConditioningLowPass = lowPass, NarrowBand = narrowBand }).Validate);

        Assert.Contains(FormattableString.Invariant($"narrow_band {narrowBand}"), error.Message, StringComparison.Ordinal);
        (Shipped with { ConditioningLowPass = 45, NarrowBand = 25 }).Validate();
    }

    [Theory]
    [InlineData(25.0, 30.0)] // above the narrow band
    [InlineData(25.0, 1.0)]
    [InlineData(null, 20.0)] // no narrow band to draw it in
    public void A_filter_edge_must_lie_below_the_narrow_band(double? narrowBand, double edge)
    {
        ModelFileException error = Assert.Throws<ModelFileException>((Shipped with { ConditioningLowPass = 45, NarrowBand = narrowBand, FilterEdges = [20, edge] }).Validate);

        Assert.Contains(FormattableString.Invariant($"filter_edges [20, {edge}]"), error.Message, StringComparison.Ordinal);
        (Shipped with { ConditioningLowPass = 45, NarrowBand = 25, FilterEdges = [20, 15] }).Validate();
    }

    [Theory]
    [InlineData(60.0, null, "conditioning_low_pass 60")]
    [InlineData(0.5, null, "conditioning_low_pass 0.5")]
    [InlineData(null, 1.0, "quantile 1")]
    [InlineData(null, 0.0, "quantile 0")]
    public void Conditioning_fields_out_of_range_are_model_file_errors_naming_them(double? lowPass, double? quantile, string named)
    {
        ModelImageSpec spec = Shipped with { ConditioningLowPass = lowPass, AmplitudeNormalisation = quantile is double q ? new(q, [7, 5]) : null };

        ModelFileException error = Assert.Throws<ModelFileException>(spec.Validate);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_normalisation_needs_one_positive_target_per_derivation()
    {
        Assert.Throws<ModelFileException>((Shipped with { AmplitudeNormalisation = new(0.25, [7]) }).Validate);
        Assert.Throws<ModelFileException>((Shipped with { AmplitudeNormalisation = new(0.25, [7, -5]) }).Validate);
        (Shipped with { AmplitudeNormalisation = new(0.25, [7, 5]) }).Validate();
    }

    [Fact]
    public void The_normalising_gain_brings_a_nights_amplitude_to_the_target_within_a_fifth_to_five_times()
    {
        var normalisation = new AmplitudeNormalisation(0.25, [7, 5]);

        Assert.Equal(0.5f, normalisation.Gain(0, 14)); // twice as loud as the target: halved
        Assert.Equal(2f, normalisation.Gain(1, 2.5));
        Assert.Equal(0.2f, normalisation.Gain(0, 700)); // a fault, not a gain: clamped
        Assert.Equal(5f, normalisation.Gain(1, 0.01));
        Assert.Equal(1f, normalisation.Gain(0, null)); // unknown (no scorable epoch): as recorded
        Assert.Equal(1f, normalisation.Gain(0, 0));
    }

    [Fact]
    public void A_malformed_view_is_a_model_file_error_naming_it()
    {
        ModelFileException error = Assert.Throws<ModelFileException>(() => (Shipped with { Views = ["raw@100", "alpha@10"] }).Validate());

        Assert.Contains("alpha@10", error.Message, StringComparison.Ordinal);
    }
}
