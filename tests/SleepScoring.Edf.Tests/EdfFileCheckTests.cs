using System.Text;

namespace SleepScoring.Edf.Tests;

/// <summary>The fixed-header check while an upload arrives, and the whole-file check before it is accepted.</summary>
public sealed class EdfFileCheckTests : IDisposable
{
    private readonly List<string> written = [];

    private static readonly EdfFileLimits Limits = new(MaxDurationSeconds: 72 * 3600, MaxSamplingRate: 20_000);

    [Fact]
    public void FixedPart_OfAValidFile_Passes()
    {
        EdfHeader.CheckFixedPart(EdfTestFiles.Small().AsSpan(0, 256));
    }

    [Theory]
    [InlineData(0, 8, "%PDF-1.7", "version", 0)]
    [InlineData(252, 4, "0", "number of signals", 252)]
    [InlineData(252, 4, "ab", "number of signals", 252)]
    [InlineData(184, 8, "512", "number of bytes in header record", 184)] // Small() has 3 signals: 1024
    [InlineData(236, 8, "-7", "number of data records", 236)]
    [InlineData(244, 8, "NaN", "duration of a data record", 244)]
    public void FixedPart_NamesTheWrongField(int offset, int width, string value, string field, long expectedOffset)
    {
        byte[] file = EdfTestFiles.Patch(EdfTestFiles.Small(), offset, width, value);

        EdfFormatException e = Assert.Throws<EdfFormatException>(() => EdfHeader.CheckFixedPart(file.AsSpan(0, 256)));

        Assert.Equal((field, expectedOffset), (e.Field, e.Offset));
    }

    [Fact]
    public void FixedPart_ShorterThan256Bytes_IsIncomplete()
    {
        EdfFormatException e = Assert.Throws<EdfFormatException>(() => EdfHeader.CheckFixedPart(EdfTestFiles.Small().AsSpan(0, 100)));

        Assert.Equal("header", e.Field);
    }

    [Fact]
    public void FixedPart_RejectsNothingTheReaderAccepts()
    {
        // Over the mutation corpus: a file whose fixed part is refused must be refused by the reader too.
        byte[] small = EdfTestFiles.Small();
        foreach ((string name, byte[] bytes) in EdfMutations.LyingFields(small).Concat(EdfMutations.RandomHeaderBytes(small, new Random(5), 200)))
        {
            bool precheckRejects = Throws(() => EdfHeader.CheckFixedPart(bytes.AsSpan(0, 256)));
            bool readerRejects = Throws(() => EdfTestFiles.Open(bytes).Dispose());
            Assert.False(precheckRejects && !readerRejects, name);
        }
    }

    [Fact]
    public void ValidFile_PassesWithItsSummary()
    {
        string path = Write(EdfTestFiles.Small());

        EdfFileSummary summary = EdfFileCheck.Check(path, Limits);

        Assert.Equal(6, summary.Header.Duration); // 3 records of 2 s
        Assert.Equal(1, summary.AnnotationCount);
    }

    [Fact]
    public void BrokenAnnotationInTheLastRecord_IsFound_WithoutEchoingItsText()
    {
        var writer = new EdfWriter { RecordDuration = 1 };
        writer.AddDigitalSignal(new EdfSignalSpec("EEG", -1, 1, 2), Enumerable.Range(0, 20).ToArray());
        writer.AddAnnotation(9.5, null, "Call Dr Jones");
        var stream = new MemoryStream();
        writer.Write(stream);
        byte[] file = stream.ToArray();
        int at = Encoding.Latin1.GetString(file).IndexOf("Call Dr Jones\u0014", StringComparison.Ordinal);
        file[at + 13] = (byte)'!'; // the text loses its closing 0x14

        EdfFormatException e = Assert.Throws<EdfFormatException>(() => EdfFileCheck.Check(Write(file), Limits));

        Assert.Equal("EDF Annotations", e.Field);
        Assert.Contains("data record 9", e.MessageWithoutValue, StringComparison.Ordinal);
        Assert.DoesNotContain("Jones", e.MessageWithoutValue, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e308", "duration of a data record")] // × 3 records: not finite
    [InlineData("1e300", "duration of a data record")] // finite, but one record is longer than 72 h
    [InlineData("1e-300", "nr of samples in each data record")] // 4 samples per 1e-300 s
    [InlineData("1e-9", "nr of samples in each data record")] // 4 GHz: finite, above the limit
    public void AbsurdRecordDuration_IsRejectedNamingTheField(string duration, string field)
    {
        byte[] file = EdfTestFiles.Patch(EdfTestFiles.Small(), 244, 8, duration);

        EdfFormatException e = Assert.Throws<EdfFormatException>(() => EdfFileCheck.Check(Write(file), Limits));

        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void RecordingLongerThanTheLimit_NamesTheRecordCount()
    {
        EdfFormatException e = Assert.Throws<EdfFormatException>(() => EdfFileCheck.Check(Write(EdfTestFiles.Small()), Limits with { MaxDurationSeconds = 5 }));

        Assert.Equal(("number of data records", 236L), (e.Field, e.Offset));
    }

    [Theory]
    [InlineData(104, "-1e300", "physical minimum")]
    [InlineData(112, "4e38", "physical maximum")] // above float.MaxValue (3.4e38)
    public void PhysicalRangeBeyondFloats_IsRejected(int fieldStart, string value, string field)
    {
        byte[] small = EdfTestFiles.Small();
        byte[] file = EdfTestFiles.Patch(small, EdfTestFiles.SignalFieldOffset(small, fieldStart, 8, 0), 8, value);

        EdfFormatException e = Assert.Throws<EdfFormatException>(() => EdfTestFiles.Open(file));

        Assert.Equal(field, e.Field);
    }

    private static bool Throws(Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (EdfFormatException)
        {
            return true;
        }
    }

    public void Dispose() => written.ForEach(File.Delete);

    private string Write(byte[] bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), $"edf-check-{Guid.NewGuid():N}.edf");
        File.WriteAllBytes(path, bytes);
        written.Add(path);
        return path;
    }
}
