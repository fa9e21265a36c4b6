using System.Globalization;
using System.Text;

using SleepScoring.Tests.Common;

using Xunit.Abstractions;

namespace SleepScoring.Edf.Tests;

/// <summary>
/// A fuzz corpus built from the real sample files: truncations at every header field boundary, seeded
/// random header bytes, lying counts and sizes, and damaged annotation bytes. Every variant must
/// either read completely or throw <see cref="EdfFormatException"/>, within a time bound and without
/// allocating much more than the file itself.
/// </summary>
public class EdfReaderMutationTests(ITestOutputHelper output)
{
    // Generous: a variant reads in milliseconds; the bound only catches hangs.
    private static readonly TimeSpan s_perVariantBound = TimeSpan.FromSeconds(10);

    private static readonly string[] s_sources =
    [
        SampleFiles.Hypnogram,
        SampleFiles.SleepEdfCrop,
        SampleFiles.Discontinuous,
        SampleFiles.SubsecondMne,
        SampleFiles.Utf8Mne,
        SampleFiles.UnevenSampling,
        "edf-samples/mne-testing-data/test_bdf_stim_channel.bdf",
        "edf-samples/mne-testing-data/chtypes_edf.edf",
        "edf-samples/edfjl/evt.bdf",
    ];

    [SkippableFact]
    public void EveryVariant_ReadsOrThrowsTheTypedException_QuicklyAndWithinMemory()
    {
        List<(string Name, byte[] Bytes)> variants = [];
        for (int f = 0; f < s_sources.Length; f++)
        {
            byte[] original = File.ReadAllBytes(SharedData.Require(s_sources[f]));
            string name = Path.GetFileName(s_sources[f]);
            variants.AddRange(EdfMutations.Truncations(original).Select(v => ($"{name}: {v.Name}", v.Bytes)));
            variants.AddRange(EdfMutations.LyingFields(original).Select(v => ($"{name}: {v.Name}", v.Bytes)));
            variants.AddRange(EdfMutations.RandomHeaderBytes(original, new Random(1000 + f), 70).Select(v => ($"{name}: {v.Name}", v.Bytes)));
            variants.AddRange(EdfMutations.RandomDataBytes(original, new Random(2000 + f), 20).Select(v => ($"{name}: {v.Name}", v.Bytes)));
        }

        Assert.True(variants.Count >= 1000, $"only {variants.Count} variants");
        int rejected = 0;
        foreach ((string name, byte[] bytes) in variants)
        {
            Task<(bool Read, long Allocated, Exception? Unexpected)> run = Task.Run(() => ReadFully(bytes));
            Assert.True(run.Wait(s_perVariantBound), $"{name}: no result within {s_perVariantBound.TotalSeconds} s");
            (bool read, long allocated, Exception? unexpected) = run.Result;
            Assert.True(unexpected is null, $"{name}: {unexpected?.GetType().Name}: {unexpected?.Message}");
            long bound = (16L << 20) + (8L * bytes.Length);
            Assert.True(allocated <= bound, $"{name}: allocated {allocated} bytes, bound {bound}");
            rejected += read ? 0 : 1;
        }

        output.WriteLine($"{variants.Count} variants: {variants.Count - rejected} read fully, {rejected} rejected with EdfFormatException");

        // Both outcomes occur: the corpus is neither all-fatal nor all-harmless.
        Assert.InRange(rejected, 1, variants.Count - 1);
    }

    /// <summary>Opens and reads every signal and every annotation; false when the bytes were rejected.</summary>
    private static (bool Read, long Allocated, Exception? Unexpected) ReadFully(byte[] bytes)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            using EdfReader reader = EdfReader.Open(new MemoryStream(bytes, writable: false));
            foreach (EdfSignal signal in reader.Signals.Where(s => !s.IsAnnotation))
            {
                _ = reader.ReadPhysical(signal.Index);
            }

            _ = reader.ReadAnnotations();
            _ = reader.RecordOnsets.Count > 0 ? reader.RecordOnsets[^1] : 0;
            return (true, GC.GetAllocatedBytesForCurrentThread() - before, null);
        }
        catch (EdfFormatException)
        {
            return (false, GC.GetAllocatedBytesForCurrentThread() - before, null);
        }
        catch (Exception e)
        {
            return (false, 0, e);
        }
    }
}

/// <summary>The mutation operators of the corpus.</summary>
internal static class EdfMutations
{
    // Cumulative byte offsets of the general header fields, and of the signal field blocks (× ns).
    private static readonly int[] s_headerBoundaries = [0, 8, 88, 168, 176, 184, 192, 236, 244, 252, 256];
    private static readonly int[] s_signalFieldStarts = [0, 16, 96, 104, 112, 120, 128, 136, 216, 224, 256];
    private static readonly int[] s_signalFieldWidths = [16, 80, 8, 8, 8, 8, 8, 80, 8, 32];

    public static IEnumerable<(string Name, byte[] Bytes)> Truncations(byte[] file)
    {
        int ns = SignalCount(file);
        SortedSet<int> cuts = [.. s_headerBoundaries, .. s_headerBoundaries.Select(b => b + 1)];
        foreach (int start in s_signalFieldStarts)
        {
            cuts.Add(256 + (start * ns));
            cuts.Add(256 + (start * ns) + 3);
        }

        int header = 256 * (ns + 1);
        foreach (int extra in new[] { 1, 2, 3, 100, 1000 })
        {
            cuts.Add(header + extra);
            cuts.Add(file.Length - extra);
        }

        return cuts.Where(c => c >= 0 && c < file.Length).Select(c => ($"truncated at {c}", file[..c]));
    }

    public static IEnumerable<(string Name, byte[] Bytes)> LyingFields(byte[] file)
    {
        int ns = SignalCount(file);
        (int Offset, int Width, string Value)[] general =
        [
            (236, 8, "99999999"), (236, 8, "-1"), (236, 8, "0"), (236, 8, "1"), (236, 8, "-99"),
            (252, 4, "9999"), (252, 4, "1"), (252, 4, $"{ns + 1}"), (252, 4, "-1"),
            (184, 8, "99999999"), (184, 8, "256"), (244, 8, "0"), (244, 8, "1e300"), (244, 8, "0.000001"), (244, 8, "NaN"),
            (168, 8, "99.99.99"), (176, 8, "xx.yy.zz"), (192, 44, "EDF+D"), (192, 44, "BDF+C"), (0, 8, "\u00ffBIOSEMI"),
        ];
        foreach ((int offset, int width, string value) in general)
        {
            yield return ($"field at {offset} = '{value}'", Patch(file, offset, width, value));
        }

        string[] signalValues = ["99999999", "0", "-5", "1", "x", "-99999999", "2147483647", "32768"];
        for (int field = 2; field < 10; field++)
        {
            foreach (int signal in new[] { 0, ns - 1 })
            {
                foreach (string value in signalValues)
                {
                    int offset = 256 + (s_signalFieldStarts[field] * ns) + (signal * s_signalFieldWidths[field]);
                    yield return ($"signal {signal} field at {offset} = '{value}'", Patch(file, offset, s_signalFieldWidths[field], value));
                }
            }
        }
    }

    public static IEnumerable<(string Name, byte[] Bytes)> RandomHeaderBytes(byte[] file, Random random, int count)
    {
        int header = Math.Min(file.Length, 256 * (SignalCount(file) + 1));
        byte[] alphabet = Encoding.ASCII.GetBytes("0123456789-+. eE\0\u0014\u0015");
        for (int i = 0; i < count; i++)
        {
            byte[] copy = (byte[])file.Clone();
            int changes = random.Next(1, 5);
            for (int c = 0; c < changes; c++)
            {
                int at = random.Next(header);
                copy[at] = random.Next(2) == 0 ? alphabet[random.Next(alphabet.Length)] : (byte)random.Next(256);
            }

            yield return ($"random header bytes #{i}", copy);
        }
    }

    /// <summary>Random bytes in the first data records, where the time-keeping TALs and annotations live.</summary>
    public static IEnumerable<(string Name, byte[] Bytes)> RandomDataBytes(byte[] file, Random random, int count)
    {
        int header = 256 * (SignalCount(file) + 1);
        int span = Math.Min(file.Length - header, 64 * 1024);
        for (int i = 0; i < count && span > 0; i++)
        {
            byte[] copy = (byte[])file.Clone();
            for (int c = 0; c < 16; c++)
            {
                copy[header + random.Next(span)] = random.Next(3) == 0 ? (byte)random.Next(256) : (byte)"+-.0123456789\u0014\u0015\0"[random.Next(16)];
            }

            yield return ($"random data bytes #{i}", copy);
        }
    }

    private static int SignalCount(byte[] file) => int.Parse(Encoding.ASCII.GetString(file, 252, 4).Trim(), CultureInfo.InvariantCulture);

    private static byte[] Patch(byte[] file, int offset, int width, string value)
    {
        byte[] copy = (byte[])file.Clone();
        Encoding.Latin1.GetBytes(value.PadRight(width)[..width]).CopyTo(copy, offset);
        return copy;
    }
}
