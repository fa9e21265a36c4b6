using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace SleepScoring.Edf;

/// <summary>How to turn a signal's raw bytes into numbers: sample width and the digital→physical line.</summary>
internal readonly record struct SampleFormat(bool Bdf, float Gain, float Offset);

/// <summary>
/// Converts raw little-endian samples (int16 for EDF, int24 for BDF) to digital integers or
/// physical floats. The int16 paths are vectorised: widen to int32, convert, multiply-add.
/// </summary>
internal static class SampleDecoder
{
    public static void ToPhysical(ReadOnlySpan<byte> source, Span<float> destination, in SampleFormat format)
    {
        if (format.Bdf)
        {
            Int24ToPhysical(source, destination, format.Gain, format.Offset);
        }
        else
        {
            Int16ToPhysical(source, destination, format.Gain, format.Offset);
        }
    }

    public static void ToDigital(ReadOnlySpan<byte> source, Span<int> destination, in SampleFormat format)
    {
        if (format.Bdf)
        {
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = ReadInt24(source, i * 3);
            }

            return;
        }

        int done = 0;
        if (BitConverter.IsLittleEndian && Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<short> samples = MemoryMarshal.Cast<byte, short>(source[..(destination.Length * 2)]);
            for (; done <= samples.Length - Vector<short>.Count; done += Vector<short>.Count)
            {
                Vector.Widen(new Vector<short>(samples[done..]), out Vector<int> low, out Vector<int> high);
                low.CopyTo(destination[done..]);
                high.CopyTo(destination[(done + Vector<int>.Count)..]);
            }
        }

        for (int i = done; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadInt16LittleEndian(source[(i * 2)..]);
        }
    }

    private static void Int16ToPhysical(ReadOnlySpan<byte> source, Span<float> destination, float gain, float offset)
    {
        int done = 0;
        if (BitConverter.IsLittleEndian && Vector.IsHardwareAccelerated)
        {
            ReadOnlySpan<short> samples = MemoryMarshal.Cast<byte, short>(source[..(destination.Length * 2)]);
            Vector<float> g = new(gain);
            Vector<float> o = new(offset);
            for (; done <= samples.Length - Vector<short>.Count; done += Vector<short>.Count)
            {
                Vector.Widen(new Vector<short>(samples[done..]), out Vector<int> low, out Vector<int> high);
                Vector.FusedMultiplyAdd(Vector.ConvertToSingle(low), g, o).CopyTo(destination[done..]);
                Vector.FusedMultiplyAdd(Vector.ConvertToSingle(high), g, o).CopyTo(destination[(done + Vector<int>.Count)..]);
            }
        }

        for (int i = done; i < destination.Length; i++)
        {
            destination[i] = MathF.FusedMultiplyAdd(BinaryPrimitives.ReadInt16LittleEndian(source[(i * 2)..]), gain, offset);
        }
    }

    private static void Int24ToPhysical(ReadOnlySpan<byte> source, Span<float> destination, float gain, float offset)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = MathF.FusedMultiplyAdd(ReadInt24(source, i * 3), gain, offset);
        }
    }

    private static int ReadInt24(ReadOnlySpan<byte> source, int at) => source[at] | (source[at + 1] << 8) | ((sbyte)source[at + 2] << 16);
}