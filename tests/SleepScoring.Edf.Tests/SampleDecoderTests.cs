namespace SleepScoring.Edf.Tests;

public class SampleDecoderTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 15)]
    [InlineData(3, 16)]
    [InlineData(0, 33)]
    [InlineData(7, 1000)]
    [InlineData(2, 5000)] // long enough for the streaming-store path
    public void Int16_ToPhysical_MatchesTheSpecFormula_AtAnyAlignmentAndLength(int floatOffset, int count)
    {
        // physical = gain · d + offset with gain 0.5 and offset -3 (chosen so every result is exact in float).
        short[] digital = [.. Enumerable.Range(0, count).Select(i => (short)((i * 7919) - 16000))];
        byte[] bytes = new byte[(count * 2) + 1];
        Buffer.BlockCopy(digital, 0, bytes, 1, count * 2); // odd byte offset: unaligned input
        float[] output = new float[count + floatOffset];

        SampleDecoder.ToPhysical(bytes.AsSpan(1, count * 2), output.AsSpan(floatOffset, count), new SampleFormat(false, 0.5f, -3f));

        Assert.Equal(digital.Select(d => (0.5f * d) - 3f), output.Skip(floatOffset));
        Assert.All(output.Take(floatOffset), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Int16_ToDigital_WidensWithSign()
    {
        short[] digital = [.. Enumerable.Range(0, 37).Select(i => (short)(i % 2 == 0 ? -i * 885 : i * 885))];
        byte[] bytes = new byte[digital.Length * 2];
        Buffer.BlockCopy(digital, 0, bytes, 0, bytes.Length);
        int[] output = new int[digital.Length];

        SampleDecoder.ToDigital(bytes, output, new SampleFormat(false, 1, 0));

        Assert.Equal(digital.Select(d => (int)d), output);
    }

    [Fact]
    public void Int24_IsLittleEndianTwosComplement()
    {
        // BDF: 3 bytes little endian. FF FF FF = -1, 00 00 80 = -8388608, FF FF 7F = 8388607, 01 02 03 = 0x030201 = 197121.
        byte[] bytes = [0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x80, 0xFF, 0xFF, 0x7F, 0x01, 0x02, 0x03];
        int[] digital = new int[4];
        float[] physical = new float[4];

        SampleDecoder.ToDigital(bytes, digital, new SampleFormat(true, 1, 0));
        SampleDecoder.ToPhysical(bytes, physical, new SampleFormat(true, 2, 1));

        Assert.Equal([-1, -8388608, 8388607, 197121], digital);
        Assert.Equal([-1f, -16777215f, 16777215f, 394243f], physical);
    }

    [Fact]
    public void TooFewSourceBytes_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SampleDecoder.ToPhysical(new byte[10], new float[6], new SampleFormat(false, 1, 0)));
    }
}
