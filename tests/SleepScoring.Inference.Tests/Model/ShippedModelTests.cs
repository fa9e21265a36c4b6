using System.Security.Cryptography;
using System.Text.Json;

using SleepScoring.Edf;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;
using SleepScoring.Model;
using SleepScoring.Onnx;
using SleepScoring.Onnx.Proto;
using SleepScoring.Tests.Common;

namespace SleepScoring.Inference.Tests.Model;

/// <summary>The model committed in <c>models/</c>: what the service loads and runs.</summary>
public sealed class ShippedModelTests
{
    private static readonly string Directory = Path.Combine(SharedData.RepositoryRoot, "models");

    [Theory]
    [InlineData("encoder.int.onnx")]
    [InlineData("sequence.int.onnx")]
    public void Its_graphs_are_integer_only_end_to_end(string file)
    {
        ModelProto model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(Directory, file)));

        // Every initializer, input, output and inferred intermediate is an integer tensor, no float-only operator.
        Assert.Empty(IntegerOnlyCheck.Violations(model));
        Assert.Contains("MatMulInteger", IntegerOnlyCheck.OperatorHistogram(model).Keys);
    }

    [Fact]
    public void The_card_lists_every_file_with_its_digest_and_the_service_loads_it()
    {
        ModelCard card = ModelCard.Load(Path.Combine(Directory, ModelCard.FileName));
        foreach ((string file, string digest) in card.Files.Sha256)
        {
            Assert.Equal(digest, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Directory, file)))));
        }

        using StagingModel model = StagingModel.Load(Directory);
        Assert.Equal(card.Version, model.Card.Version);
        Assert.Equal(["EEG Fpz-Cz", "EEG Pz-Oz"], model.Card.Input.Derivations);
        Assert.InRange(model.Card.ReviewThreshold, 0.5, 1);
        // The card carries the figures it was accepted on (written by `sleepscore-lab card` and `bench model --write-card`).
        Assert.True(card.Details!.ContainsKey("cross_validation"));
        Assert.True(card.Details.ContainsKey("latency"));
        Assert.Equal(JsonValueKind.Number, card.Details["calibration"].GetProperty("temperature").ValueKind);
    }

    [Fact]
    public void It_stages_the_sample_study_mostly_as_its_surrogate_hypnogram_says()
    {
        string sample = Path.Combine(SharedData.RepositoryRoot, "sample-data");
        using StagingModel model = StagingModel.Load(Directory);
        using EdfReader reader = EdfReader.Open(Path.Combine(sample, "SC4001E0-PSG.edf"));
        ScoredStudy scored = new StudyScorer(model).Score(reader);
        Analysis.Staging.Hypnogram truth = Analysis.Staging.HypnogramFile.Read(Path.Combine(sample, "SC4001EC-Hypnogram.edf")).Hypnogram;

        int agree = 0, count = Math.Min(scored.Epochs.Count, truth.Stages.Count);
        for (int i = 0; i < count; i++)
        {
            agree += scored.Epochs[i].Stage == truth.Stages[i] ? 1 : 0;
        }

        // Not an accuracy claim (subject 00 was in the training set): a guard that the shipped
        // files, the renderer and the scorer still fit together. A mismatch drops this to chance.
        Assert.True(agree > 0.6 * scored.Epochs.Count, $"{agree} of {scored.Epochs.Count} epochs agree with the hypnogram");
    }
}
