using SleepScoring.Rendering.ModelImage;
using SleepScoring.Training.Data;
using SleepScoring.Training.Models;
using SleepScoring.Training.Training;

using TorchSharp;

namespace SleepScoring.Training.Tests.Training;

public sealed class FloatModelDirectoryTests : IDisposable
{
    private static readonly ModelOptions Tiny = new() { ImageHeight = 16, ImageWidth = 60, Segments = 5, StemChannels = 8, Dim = 16, Heads = 2, MlpDim = 32, EncoderLayers = 1, SequenceLayers = 1, Window = 5 };
    private readonly string directory = Directory.CreateTempSubdirectory("sleepscore-float-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void SaveThenLoad_RestoresEveryWeightAndTheRecord()
    {
        torch.manual_seed(7);
        using var classifier = new EpochClassifier(Tiny);
        using var sequence = new InterEpochTransformer(Tiny);
        FloatModelDirectory.Save(directory, classifier, sequence, Record());

        torch.manual_seed(8); // different initial weights: only the load can make them equal
        (EpochClassifier loaded, InterEpochTransformer loadedSequence, TrainingRecord record) = FloatModelDirectory.Load(directory);
        using (loaded)
        using (loadedSequence)
        {
            AssertSameParameters(classifier, loaded);
            AssertSameParameters(sequence, loadedSequence);
            Assert.Equal(Tiny, record.Model);
            Assert.Equal("medium", record.Image.Layout);
            Assert.Equal(TraceDrawingMode.Polyline, record.Image.DrawingMode);
            Assert.Equal(["EEG Fpz-Cz", "EEG Pz-Oz"], record.Image.Derivations);
            Assert.Equal(EpochImageLayout.Medium, NightImageOptions.From(record.Image, wholeRecording: false, maxParallelism: 1).Layout);
        }
    }

    [Fact]
    public void MissingOrDamagedFiles_AreTrainingDataExceptions_NamingThem()
    {
        var missing = Assert.Throws<TrainingDataException>(() => FloatModelDirectory.Load(directory));
        Assert.Contains(FloatModelDirectory.RecordFile, missing.Message, StringComparison.Ordinal);

        using (var classifier = new EpochClassifier(Tiny))
        using (var sequence = new InterEpochTransformer(Tiny))
        {
            FloatModelDirectory.Save(directory, classifier, sequence, Record());
        }

        File.WriteAllBytes(Path.Combine(directory, FloatModelDirectory.SequenceFile), [1, 2, 3]);
        var damaged = Assert.Throws<TrainingDataException>(() => FloatModelDirectory.Load(directory));
        Assert.Contains(FloatModelDirectory.SequenceFile, damaged.Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(directory, FloatModelDirectory.RecordFile), "{ \"model\": ");
        var json = Assert.Throws<TrainingDataException>(() => FloatModelDirectory.Load(directory));
        Assert.Contains(FloatModelDirectory.RecordFile, json.Message, StringComparison.Ordinal);
    }

    private static TrainingRecord Record() => new()
    {
        Command = "sleepscore-lab train --data d --out o",
        Model = Tiny,
        Image = new NightImageOptions { Layout = EpochImageLayout.Medium, DrawingMode = TraceDrawingMode.Polyline }.Spec(segments: 15),
        Seed = 7,
        MaxPasses = [1, 1],
        DataFolder = "d",
        Nights = [],
        TrainingSubjects = ["00"],
        ValidationSubjects = ["01"],
    };

    private static void AssertSameParameters(torch.nn.Module expected, torch.nn.Module actual)
    {
        var a = expected.state_dict();
        var b = actual.state_dict();
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (string key in a.Keys)
        {
            Assert.True(a[key].allclose(b[key], rtol: 0, atol: 0), key); // bit-identical
        }
    }
}
