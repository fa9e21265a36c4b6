namespace SleepScoring.Edf.Tests;

/// <summary>Unreadable headers are rejected with the field, its byte offset and the value.</summary>
public class EdfReaderRejectionTests
{
    // Field offsets of the general header (EDF specification).
    private const int NumberOfSignals = 252;

    [Fact]
    public void NonNumericSignalCount_NamesFieldOffsetAndValue()
    {
        byte[] file = EdfTestFiles.Patch(EdfTestFiles.Small(), NumberOfSignals, 4, "ab");

        EdfFormatException e = Assert.Throws<EdfFormatException>(() => EdfTestFiles.Open(file));

        Assert.Equal("header field 'number of signals' at offset 252: \"ab  \" is not an integer", e.Message);
        Assert.Equal(("number of signals", 252L, "ab  "), (e.Field, e.Offset, e.Value));
    }

    [Theory]
    [InlineData(0, 8, "1", "version")]
    [InlineData(184, 8, "999", "number of bytes in header record")]
    [InlineData(236, 8, "-2", "number of data records")]
    [InlineData(236, 8, "3x", "number of data records")]
    [InlineData(244, 8, "-1", "duration of a data record")]
    [InlineData(244, 8, "abc", "duration of a data record")]
    [InlineData(252, 4, "0", "number of signals")]
    [InlineData(252, 4, "9999", "number of signals")]
    public void BadGeneralHeaderField_IsRejectedAtItsOffset(int offset, int width, string value, string field)
    {
        byte[] file = EdfTestFiles.Patch(EdfTestFiles.Small(), offset, width, value);

        EdfFormatException e = Assert.Throws<EdfFormatException>(() => EdfTestFiles.Open(file));

        Assert.Equal(field, e.Field);
        Assert.Equal(offset, e.Offset);
        Assert.Contains($"at offset {offset}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(216, 8, "0", "nr of samples in each data record")]
    [InlineData(216, 8, "x", "nr of samples in each data record")]
    [InlineData(104, 8, "1e999", "physical minimum")]
    [InlineData(120, 8, "40000", "digital minimum")] // above the digital maximum 32767
    [InlineData(128, 8, "12.5", "digital maximum")]
    public void BadSignalHeaderField_IsRejectedAtItsOffset(int fieldStart, int width, string value, string field)
    {
        byte[] small = EdfTestFiles.Small();
        int offset = EdfTestFiles.SignalFieldOffset(small, fieldStart, width, signal: 1);
        byte[] file = EdfTestFiles.Patch(small, offset, width, value);

        EdfFormatException e = Assert.Throws<EdfFormatException>(() => EdfTestFiles.Open(file));

        Assert.Equal(field, e.Field);
        Assert.Equal(offset, e.Offset);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(255)]
    [InlineData(600)] // general header complete, signal headers cut
    public void TruncatedHeader_IsRejected(int length)
    {
        byte[] file = EdfTestFiles.Small()[..length];

        Assert.Throws<EdfFormatException>(() => EdfTestFiles.Open(file));
    }

    [Fact]
    public void RecordCountWithoutAnyCompleteRecord_IsRejected()
    {
        byte[] small = EdfTestFiles.Small();
        int headerBytes = 256 * (EdfTestFiles.SignalCount(small) + 1);
        byte[] file = small[..(headerBytes + 3)];

        EdfFormatException e = Assert.Throws<EdfFormatException>(() => EdfTestFiles.Open(file));

        Assert.Equal("number of data records", e.Field);
    }

    [Fact]
    public void MalformedTal_IsRejectedWithItsFileOffset()
    {
        byte[] small = EdfTestFiles.Small();
        using EdfReader valid = EdfTestFiles.Open(small);
        int annotationStart = valid.Header.HeaderBytes + ((4 + 2) * 2); // record 0: EEG 4 + EMG 2 samples before it
        byte[] file = (byte[])small.Clone();
        file[annotationStart + 1] = (byte)'x'; // "+0\x14\x14" → "+x\x14\x14"

        EdfFormatException e = Assert.Throws<EdfFormatException>(() => EdfTestFiles.Open(file));

        Assert.Equal(annotationStart, e.Offset);
        Assert.Contains("data record 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonSeekableStream_IsRefusedWithArgumentException()
    {
        using NonSeekableStream stream = new(EdfTestFiles.Small());

        Assert.Throws<ArgumentException>(() => EdfReader.Open(stream));
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
