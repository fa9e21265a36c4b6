using System.Security.Cryptography;
using System.Text.Json.Nodes;

using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Model.Tests;

public sealed class ModelPackageTests : IDisposable
{
    private static readonly byte[] Encoder = [1, 2, 3, 4];
    private static readonly byte[] Sequence = [5, 6, 7];

    private readonly string folder = Directory.CreateTempSubdirectory("sleepscoring-package-").FullName;

    [Fact]
    public void Write_then_open_round_trips_the_card_and_verifies_each_file()
    {
        ModelCard written = ModelPackage.Write(folder, Identity(), Files());

        ModelPackage package = ModelPackage.Open(folder);

        Assert.Equal("test-model", package.Card.Name);
        Assert.True(package.Card.Input.SameAs(written.Input));
        Assert.Equal(Encoder, package.ReadVerified(ModelPackage.EncoderInteger));
        Assert.Equal(Sequence, package.ReadVerified(ModelPackage.SequenceInteger));
        // The digests are SHA-256 of the bytes, computed here independently.
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoder)), package.Card.Files.Sha256[ModelPackage.EncoderInteger]);
    }

    [Fact]
    public void A_changed_file_is_refused_with_both_digests()
    {
        ModelPackage.Write(folder, Identity(), Files());
        File.WriteAllBytes(Path.Combine(folder, ModelPackage.EncoderInteger), [9, 9]);

        ModelFileException error = Assert.Throws<ModelFileException>(() => ModelPackage.Open(folder).ReadVerified(ModelPackage.EncoderInteger));

        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(Encoder)), error.Message, StringComparison.Ordinal);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(new byte[] { 9, 9 })), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_a_digest_is_refused()
    {
        ModelPackage.Write(folder, Identity(), Files());

        ModelFileException error = Assert.Throws<ModelFileException>(() => ModelPackage.Open(folder).ReadVerified("other.onnx"));

        Assert.Contains("no sha256 for 'other.onnx'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_needs_the_graphs_its_card_names()
    {
        var files = new Dictionary<string, byte[]> { [ModelPackage.EncoderInteger] = Encoder };

        Assert.Throws<ArgumentException>(() => ModelPackage.Write(folder, Identity(), files));
    }

    [Fact]
    public void SetDetail_adds_a_section_and_keeps_the_digests()
    {
        ModelPackage.Write(folder, Identity(), Files());

        ModelPackage.SetDetail(folder, "latency", new { NightMs = 12.5 });

        JsonNode card = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, ModelCard.FileName)))!;
        Assert.Equal(12.5, (double)card["latency"]!["night_ms"]!);
        Assert.Equal(Encoder, ModelPackage.Open(folder).ReadVerified(ModelPackage.EncoderInteger));
    }

    [Theory]
    [InlineData("\"segments\": 15", "\"segments\": 7", "segments 7")]
    [InlineData("\"strip_height\": 32", "\"strip_height\": 1", "strip_height 1")]
    [InlineData("\"drawing_mode\": \"Envelope\"", "\"drawing_mode\": \"Crayon\"", "not a valid model card")]
    [InlineData("\"derivations\": [", "\"derivations\": [], \"x\": [", "at least one derivation")]
    public void A_card_with_a_bad_input_field_names_it(string field, string replacement, string expected)
    {
        ModelPackage.Write(folder, Identity(), Files());
        string path = Path.Combine(folder, ModelCard.FileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace(field, replacement, StringComparison.Ordinal));

        ModelFileException error = Assert.Throws<ModelFileException>(() => ModelPackage.Open(folder));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_card_names_its_path()
    {
        ModelFileException error = Assert.Throws<ModelFileException>(() => ModelPackage.Open(folder));

        Assert.Contains(Path.Combine(folder, ModelCard.FileName), error.Message, StringComparison.Ordinal);
    }

    private static ModelCard Identity() => new()
    {
        Name = "test-model",
        Version = "0.0.1",
        Input = ModelImageSpec.Create(EpochImageLayout.Small, ["EEG Fpz-Cz", "EEG Pz-Oz"], [TraceView.Trace(100), new(8, 13, 10)], segments: 15),
        Files = new ModelFiles { Encoder = ModelPackage.EncoderInteger, Sequence = ModelPackage.SequenceInteger, Sha256 = new Dictionary<string, string>() },
        ReviewThreshold = 0.7,
    };

    private static Dictionary<string, byte[]> Files() => new()
    {
        [ModelPackage.EncoderInteger] = Encoder,
        [ModelPackage.SequenceInteger] = Sequence,
    };

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
