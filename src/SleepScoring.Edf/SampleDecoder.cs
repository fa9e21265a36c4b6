using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SleepScoring.Edf;

/// <summary>How to turn a signal's raw bytes into numbers: sample width and the digital→physical line.</summary>
internal readonly record struct SampleFormat(bool Bdf, float Gain, float Offset);

/// <summary>
/// Converts raw little-endian samples (int16 for EDF, int24 for BDF) to digital integers or
/// physical floats. The int16 paths are vectorised: widen to int32, convert, multiply-add.
/// </summary>
internal static class SampleDecoder
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: skip the unoptimised first tier
    public static void ToPhysical(ReadOnlySpan<byte> source, Span<float> destination, in SampleFormat format)
    {
        // The vector loop reads by reference: make sure the bytes are there.
        ArgumentOutOfRangeException.ThrowIfLessThan(source.Length, destination.Length * (format.Bdf ? 3 : 2), nameof(source));
        if (format.Bdf)
        {
            Int24ToPhysical(source, destination, format.Gain, format.Offset);
        }
        else
        {
            Int16ToPhysical(source, destination, format.Gain, format.Offset);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: skip the unoptimised first tier
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: skip the unoptimised first tier
    private static unsafe void Int16ToPhysical(ReadOnlySpan<byte> source, Span<float> destination, float gain, float offset)
    {
        int done = 0;
        if (BitConverter.IsLittleEndian && Vector256.IsHardwareAccelerated && destination.Length >= 2 * Vector256<short>.Count)
        {
            fixed (byte* input = source)
            fixed (float* output = destination)
            {
                // Scalar until the output is 32-byte aligned, so the vector loop can use aligned streaming stores.
                while (((nuint)(output + done) & 31) != 0)
                {
                    output[done] = MathF.FusedMultiplyAdd(((short*)input)[done], gain, offset);
                    done++;
                }

                done += Int16ToPhysicalAligned((short*)input + done, output + done, destination.Length - done, gain, offset);
            }
        }
        else if (BitConverter.IsLittleEndian && Vector128.IsHardwareAccelerated)
        {
            // 128-bit machines (e.g. ARM64 NEON): 8 samples per step, ordinary stores.
            ref short input = ref Unsafe.As<byte, short>(ref MemoryMarshal.GetReference(source));
            ref float output = ref MemoryMarshal.GetReference(destination);
            Vector128<float> g = Vector128.Create(gain);
            Vector128<float> o = Vector128.Create(offset);
            for (; done <= destination.Length - Vector128<short>.Count; done += Vector128<short>.Count)
            {
                (Vector128<int> low, Vector128<int> high) = Vector128.Widen(Vector128.LoadUnsafe(ref input, (nuint)done));
                Vector128.FusedMultiplyAdd(Vector128.ConvertToSingle(low), g, o).StoreUnsafe(ref output, (nuint)done);
                Vector128.FusedMultiplyAdd(Vector128.ConvertToSingle(high), g, o).StoreUnsafe(ref output, (nuint)(done + Vector128<int>.Count));
            }
        }

        for (int i = done; i < destination.Length; i++)
        {
            destination[i] = MathF.FusedMultiplyAdd(BinaryPrimitives.ReadInt16LittleEndian(source[(i * 2)..]), gain, offset);
        }
    }

    /// <summary>
    /// 16 samples per step: load int16 → widen to 2×8 int32 → convert → gain·x + offset. Large outputs
    /// are written with non-temporal stores: they bypass the cache (the caller reads them much later)
    /// and skip the read-for-ownership that doubles the memory traffic of ordinary stores.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: skip the unoptimised first tier
    private static unsafe int Int16ToPhysicalAligned(short* input, float* output, int count, float gain, float offset)
    {
        const int StreamingThreshold = 1024;
        Vector256<float> g = Vector256.Create(gain);
        Vector256<float> o = Vector256.Create(offset);
        bool streaming = count >= StreamingThreshold && Sse.IsSupported;
        int done = 0;
        for (; done <= count - Vector256<short>.Count; done += Vector256<short>.Count)
        {
            (Vector256<int> low, Vector256<int> high) = Vector256.Widen(Vector256.Load(input + done));
            Vector256<float> a = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(low), g, o);
            Vector256<float> b = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(high), g, o);
            if (streaming)
            {
                a.StoreAlignedNonTemporal(output + done);
                b.StoreAlignedNonTemporal(output + done + Vector256<int>.Count);
            }
            else
            {
                a.StoreAligned(output + done);
                b.StoreAligned(output + done + Vector256<int>.Count);
            }
        }

        if (streaming)
        {
            Sse.StoreFence(); // streaming stores are weakly ordered: publish them before returning
        }

        return done;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: skip the unoptimised first tier
    private static void Int24ToPhysical(ReadOnlySpan<byte> source, Span<float> destination, float gain, float offset)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = MathF.FusedMultiplyAdd(ReadInt24(source, i * 3), gain, offset);
        }
    }

    private static int ReadInt24(ReadOnlySpan<byte> source, int at) => source[at] | (source[at + 1] << 8) | ((sbyte)source[at + 2] << 16);
}
