using SleepScoring.Analysis.Signals;
using SleepScoring.Api.Scored;

namespace SleepScoring.Api.Tests.Scored;

public sealed class ModelSignalsFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("model-signals-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Writer_TracksFilledInAnyOrder_ReadBackEpochByEpochOnceCompleted()
    {
        string path = Path.Combine(folder, "bands.f32");
        using (var writer = new ModelSignalsFile.Writer(path, ["EEG Fpz-Cz", "EEG Pz-Oz"]))
        {
            SampleStore<float> pz = writer.Track("EEG Pz-Oz", 9000)!;
            SampleStore<float> fpz = writer.Track("EEG Fpz-Cz", 9000)!;
            Assert.Null(writer.Track("EOG horizontal", 9000)); // not a signal of the file: the caller keeps it elsewhere
            pz.Write(3000, [.. Enumerable.Range(0, 3000).Select(i => (float)-i)]);
            fpz.Write(3000, [.. Enumerable.Range(0, 3000).Select(i => (float)i)]);
            Assert.False(File.Exists(path)); // readers never see half a file
            writer.Complete();
        }

        (string[] names, float[] samples) = ModelSignalsFile.ReadEpoch(path, 1);

        Assert.Equal(["EEG Fpz-Cz", "EEG Pz-Oz"], names);
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => (float)i), samples[..3000]);
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => (float)-i), samples[3000..]);
        Assert.All(ModelSignalsFile.ReadEpoch(path, 0).Samples, v => Assert.Equal(0f, v));
        Assert.Single(Directory.GetFiles(folder));
    }

    [Fact]
    public void Writer_DisposedUncompleted_LeavesNoFile()
    {
        string path = Path.Combine(folder, "bands.f32");
        using (var writer = new ModelSignalsFile.Writer(path, ["EEG Fpz-Cz"]))
        {
            writer.Track("EEG Fpz-Cz", 3000)!.Write(0, [1f]);
        }

        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public void Writer_TracksOfDifferentLengths_Throws()
    {
        using var writer = new ModelSignalsFile.Writer(Path.Combine(folder, "bands.f32"), ["A", "B"]);
        writer.Track("A", 3000);
        Assert.Throws<InvalidOperationException>(() => writer.Track("B", 6000));
    }
}
