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
