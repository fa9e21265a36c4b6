using SleepScoring.Tests.Common;

namespace SleepScoring.Edf.Tests;

/// <summary>Every real sample file opens and reads completely.</summary>
public class EdfReaderSampleFileTests
{
    [SkippableTheory]
    [MemberData(nameof(SampleFiles.AllData), MemberType = typeof(SampleFiles))]
    public void EverySampleFile_OpensAndReadsAllSignalsAndAnnotations(string relativePath)
    {
        string path = SharedData.Require(relativePath);

        using EdfReader reader = EdfReader.Open(path);

        Assert.Equal(reader.Header.SignalCount, reader.Signals.Count);
        Assert.True(reader.Header.RecordCount > 0);
        foreach (EdfSignal signal in reader.Signals.Where(s => !s.IsAnnotation))
        {
            float[] samples = reader.ReadPhysical(signal.Index);
            Assert.Equal(signal.SampleCount, samples.Length);
            Assert.All(samples, v => Assert.True(float.IsFinite(v)));
        }

        _ = reader.ReadAnnotations();
        long expectedBytes = reader.Header.HeaderBytes + (reader.Header.RecordCount * reader.Signals.Sum(s => (long)s.SamplesPerRecord) * reader.Header.FileType.BytesPerSample());
        Assert.InRange(new FileInfo(path).Length - expectedBytes, 0, 1); // only test_uneven_samp.edf has its one stray byte
    }

    [SkippableFact]
    public void TheListOfSampleFiles_CoversTheWholeFolder()
    {
        // The theory above runs per listed file; this keeps the list honest when files are added to the folder.
        string folder = SharedData.Require("edf-samples");
        string[] onDisk = [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f).ToUpperInvariant() is ".EDF" or ".BDF")
            .Select(f => "edf-samples/" + Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

        Assert.Equal(onDisk, SampleFiles.All.Order(StringComparer.Ordinal));
    }
}
