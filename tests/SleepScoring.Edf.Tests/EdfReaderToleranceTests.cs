namespace SleepScoring.Edf.Tests;

/// <summary>Unambiguous violations of the letter of the specification are read, with a warning.</summary>
public class EdfReaderToleranceTests
{
    [Fact]
    public void UnknownRecordCount_IsDerivedFromTheFileSize()
    {
        byte[] file = EdfTestFiles.Patch(EdfTestFiles.Small(), 236, 8, "-1");

        using EdfReader reader = EdfTestFiles.Open(file);

        Assert.Equal(3, reader.Header.RecordCount);
        Assert.Equal(EdfWarningCodes.RecordCountUnknown, Assert.Single(reader.Warnings).Code);
        Assert.Equal(236, reader.Warnings[0].Offset);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("7")]
    public void WrongRecordCount_FileSizeWins(string declared)
    {
        byte[] file = EdfTestFiles.Patch(EdfTestFiles.Small(), 236, 8, declared);

        using EdfReader reader = EdfTestFiles.Open(file);

        Assert.Equal(3, reader.Header.RecordCount);
        Assert.Equal(EdfWarningCodes.RecordCountMismatch, Assert.Single(reader.Warnings).Code);
        Assert.Equal(Enumerable.Range(0, 12), ReadEeg(reader, 0, 12));
    }

    [Theory]
    [InlineData(1)] // one stray byte
    [InlineData(7)] // part of a further record
    public void TrailingBytes_AreIgnored(int extra)
    {
        byte[] file = [.. EdfTestFiles.Small(), .. new byte[extra]];

        using EdfReader reader = EdfTestFiles.Open(file);

        Assert.Equal(3, reader.Header.RecordCount);
        EdfWarning warning = reader.Warnings.Single(w => w.Code == EdfWarningCodes.TrailingBytes);
        Assert.Equal(file.Length - extra, warning.Offset);
    }

    [Fact]
    public void DigitalRangeBeyond16Bits_IsReadWithAWarning()
    {
        // EEG signal: digital -65536..65535 for -100..100 µV, so digital 0 is physical (0 + 65536) × 200/131071 − 100.
        byte[] small = EdfTestFiles.Small();
        byte[] file = EdfTestFiles.Patch(small, EdfTestFiles.SignalFieldOffset(small, 120, 8, 0), 8, "-65536");
        file = EdfTestFiles.Patch(file, EdfTestFiles.SignalFieldOffset(small, 128, 8, 0), 8, "65535");

        using EdfReader reader = EdfTestFiles.Open(file);

        Assert.Equal(EdfWarningCodes.DigitalRangeOutOfBounds, Assert.Single(reader.Warnings).Code);
        Assert.Equal((65536 * 200.0 / 131071) - 100, reader.ReadPhysical(0)[0], 1e-4);
    }

    [Fact]
    public void NonAsciiHeaderText_IsDecodedWithAWarning()
    {
        byte[] file = EdfTestFiles.Patch(EdfTestFiles.Small(), 8, 80, "X F X Jos\u00e9");

        using EdfReader reader = EdfTestFiles.Open(file);

        EdfWarning warning = Assert.Single(reader.Warnings);
        Assert.Equal((EdfWarningCodes.NonAsciiHeader, 8L), (warning.Code, warning.Offset));
        Assert.Equal("José", reader.Header.Patient!.Name); // Latin-1 0xE9, not valid UTF-8
        Assert.DoesNotContain("José", warning.Message, StringComparison.Ordinal); // no patient text in warnings
    }

    [Fact]
    public void DuplicateLabels_AreReadWithAWarning()
    {
        byte[] small = EdfTestFiles.Small();
        byte[] file = EdfTestFiles.Patch(small, EdfTestFiles.SignalFieldOffset(small, 0, 16, 1), 16, "EEG");

        using EdfReader reader = EdfTestFiles.Open(file);

        Assert.Equal(EdfWarningCodes.DuplicateLabel, Assert.Single(reader.Warnings).Code);
        Assert.Equal(["EEG", "EEG"], reader.Signals.Take(2).Select(s => s.Label));
    }

    [Fact]
    public void EqualPhysicalLimits_ReadAsThatValueWithAWarning()
    {
        byte[] small = EdfTestFiles.Small();
        byte[] file = EdfTestFiles.Patch(small, EdfTestFiles.SignalFieldOffset(small, 104, 8, 1), 8, "1");

        using EdfReader reader = EdfTestFiles.Open(file);

        Assert.Equal(EdfWarningCodes.PhysicalRangeEmpty, Assert.Single(reader.Warnings).Code);
        Assert.All(reader.ReadPhysical(1), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void PhysicalValues_FollowTheHeaderLine()
    {
        // EEG: -100..100 µV over -32768..32767, so digital d reads as -100 + (d + 32768) × 200/65535 (EDF spec formula).
        using EdfReader reader = EdfTestFiles.Open(EdfTestFiles.Small());

        float[] eeg = reader.ReadPhysical(0);
        for (int d = 0; d < 12; d++)
        {
            Assert.Equal(-100 + ((d + 32768) * 200.0 / 65535), eeg[d], 1e-4);
        }

        Assert.Equal(1000.0, reader.Signals[1].MicrovoltsPerUnit); // mV
    }

    [Fact]
    public void ReadsByOffset_ClipAtTheEndOfTheSignal()
    {
        using EdfReader reader = EdfTestFiles.Open(EdfTestFiles.Small());

        Assert.Equal([9, 10, 11], ReadEeg(reader, 9, 10));
        Assert.Equal(0, reader.ReadDigital(0, 12, new int[4]));
        Assert.Equal([5, -6, 6], ReadDigital(reader, 1, 1, 3)); // EMG across the record boundary
    }

    [Fact]
    public void ReadByTime_ReturnsTheSamplesInTheHalfOpenRange()
    {
        // EEG at 2 Hz (4 samples per 2-s record): [1.0 s, 3.0 s) holds samples 2, 3, 4, 5.
        using EdfReader reader = EdfTestFiles.Open(EdfTestFiles.Small());

        float[] window = reader.ReadPhysical(0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        Assert.Equal(reader.ReadPhysical(0)[2..6], window);
    }

    private static int[] ReadDigital(EdfReader reader, int signal, long first, int count)
    {
        int[] buffer = new int[count];
        int read = reader.ReadDigital(signal, first, buffer);
        return buffer[..read];
    }

    private static int[] ReadEeg(EdfReader reader, long first, int count) => ReadDigital(reader, 0, first, count);
}
