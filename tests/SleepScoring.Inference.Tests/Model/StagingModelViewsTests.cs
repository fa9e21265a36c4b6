using SleepScoring.Inference.Explanation;
using SleepScoring.Inference.Model;
using SleepScoring.Model;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Inference.Tests.Model;

/// <summary>A model whose card draws each derivation as several views (trace plus band-passed traces).</summary>
public sealed class StagingModelViewsTests : IDisposable
{
    private static readonly string[] ThreeViews = ["raw@100", "8-13@10", "13-30@10"];
    private readonly ContractModel contract = new(ThreeViews);

    [Fact]
    public void Views_come_from_the_card_and_size_the_renderer()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);
        IEpochImageRenderer renderer = model.CreateRenderer();

        Assert.Equal(ThreeViews, model.Views.Select(v => v.Name));
        // 2 derivations × 3 views × 32 rows = 192 rows of 300 columns: the encoder's input.
        Assert.Equal(6, renderer.Geometry.DerivationCount);
        Assert.Equal(192 * 300, renderer.ImageByteCount);
        Assert.Equal(model.Encoder.ImageBytes, renderer.ImageByteCount);
        (renderer as IDisposable)?.Dispose();
    }

    [Fact]
    public void A_saliency_cell_spans_all_views_of_its_derivation()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);

        // Derivation 1 owns rows 96–191 (its three 32-row views); segment 14 owns columns 280–299.
        bool[] cell = Occlusion.CellMask(model, 1, 14);

        Assert.Equal(192 * 300, cell.Length);
        Assert.True(cell[(96 * 300) + 280] && cell[(191 * 300) + 299]);
        Assert.False(cell[(95 * 300) + 299] || cell[(191 * 300) + 279]);
        Assert.Equal(96 * 20, cell.Count(c => c));
    }

    [Fact]
    public void The_flat_image_draws_a_flat_trace_in_every_view_band()
    {
        using StagingModel model = StagingModel.Load(contract.Directory);

        byte[] flat = Occlusion.FlatImage(model);

        // 0 µV lies on row 16 of each 32-row band (centre line y = top + 16): six lit rows, nothing else.
        for (int band = 0; band < 6; band++)
        {
            Assert.All(Enumerable.Range(0, 300), x => Assert.Equal(255, flat[(((band * 32) + 16) * 300) + x]));
        }

        Assert.Equal(6 * 300, flat.Count(p => p != 0));
    }

    [Fact]
    public void A_card_whose_views_do_not_fit_the_encoder_is_refused()
    {
        using var mismatched = new ContractModel(ThreeViews);
        string card = Path.Combine(mismatched.Directory, ModelCard.FileName);
        File.WriteAllText(card, File.ReadAllText(card).Replace("\"13-30@10\"", "\"13-30@10\", \"4-8@20\"", StringComparison.Ordinal));

        ModelFileException error = Assert.Throws<ModelFileException>(() => StagingModel.Load(mismatched.Directory));
        Assert.Contains("4 view(s)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_view_is_a_model_file_error()
    {
        using var malformed = new ContractModel(["raw@100", "alpha@10"]);

        ModelFileException error = Assert.Throws<ModelFileException>(() => StagingModel.Load(malformed.Directory));
        Assert.Contains("alpha@10", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("null", "input.views is null")]
    [InlineData("[\"raw@100\", null, \"13-30@10\"]", "View 1 is empty")]
    public void A_null_views_field_or_entry_is_a_model_file_error(string views, string expected)
    {
        using var model = new ContractModel(ThreeViews);
        string card = Path.Combine(model.Directory, ModelCard.FileName);
        string text = File.ReadAllText(card);
        int start = text.IndexOf("\"views\"", StringComparison.Ordinal);
        int end = text.IndexOf(']', start) + 1;
        File.WriteAllText(card, string.Concat(text.AsSpan(0, start), "\"views\": ", views, text.AsSpan(end)));

        ModelFileException error = Assert.Throws<ModelFileException>(() => StagingModel.Load(model.Directory));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => contract.Dispose();
}
