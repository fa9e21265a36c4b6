using SleepScoring.Training.Build;

namespace SleepScoring.Training.Tests.Build;

public sealed class ElfVersionPatcherTests : IDisposable
{
    private const string Version = "GLIBCXX_3.4.32";

    // From `readelf -V libLibTorchSharp.so` (TorchSharp 0.107.0): .gnu.version_r at file offset
    // 0x3f8f0; the Vernaux naming GLIBCXX_3.4.32 at entry offset 0x140; vna_flags is 4 bytes in.
    private const long ExpectedFlagsOffset = 0x3f8f0 + 0x140 + 4;

    private readonly string directory = Directory.CreateTempSubdirectory("elf-patch-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [SkippableFact]
    public void MarkRequirementWeak_OriginalLibrary_ChangesOnlyTheFlagBytesAndIsIdempotent()
    {
        string original = OriginalLibrary();
        string copy = Path.Combine(directory, "libLibTorchSharp.so");
        File.Copy(original, copy);
        byte[] before = File.ReadAllBytes(copy);

        Assert.Equal(ExpectedFlagsOffset, ElfVersionPatcher.FindRequirementFlagsOffset(before, Version));
        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionPatcher.MarkRequirementWeak(copy, Version));
        byte[] after = File.ReadAllBytes(copy);

        Assert.Equal(before.Length, after.Length);
        long[] changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).Select(i => (long)i).ToArray();
        // The flags were 0 ("Flags: none" in readelf); VER_FLG_WEAK = 2 sets one bit of the low byte.
        Assert.Equal([ExpectedFlagsOffset], changed);
        Assert.Equal(0, before[ExpectedFlagsOffset]);
        Assert.Equal(2, after[ExpectedFlagsOffset]);

        Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionPatcher.MarkRequirementWeak(copy, Version));
        Assert.Equal(after, File.ReadAllBytes(copy));
    }

    [SkippableFact]
    public void MarkRequirementWeak_VersionNotRequired_LeavesFileUnchanged()
    {
        string copy = Path.Combine(directory, "lib.so");
        File.Copy(OriginalLibrary(), copy);
        byte[] before = File.ReadAllBytes(copy);

        Assert.Equal(ElfPatchOutcome.NotRequired, ElfVersionPatcher.MarkRequirementWeak(copy, "GLIBCXX_9.9.99"));
        Assert.Equal(before, File.ReadAllBytes(copy));
    }

    [SkippableFact]
    public void BuildOutputCopy_IsWeakExactlyWhenSystemLibStdCxxLacksTheVersion()
    {
        string system = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";
        Skip.IfNot(File.Exists(system), $"{system} is absent (not Debian/Ubuntu x64).");
        byte[] systemBytes = File.ReadAllBytes(system);
        // Every libstdc++ since GCC 3.4 defines GLIBCXX_3.4; no release defines 9.9.99.
        Assert.True(ElfVersionPatcher.DefinesVersion(systemBytes, "GLIBCXX_3.4"));
        Assert.False(ElfVersionPatcher.DefinesVersion(systemBytes, "GLIBCXX_9.9.99"));

        byte[] output = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"));
        long offset = ElfVersionPatcher.FindRequirementFlagsOffset(output, Version);
        bool weak = (output[offset] & ElfVersionPatcher.WeakFlag) != 0;
        Assert.Equal(!ElfVersionPatcher.DefinesVersion(systemBytes, Version), weak);
    }

    [Fact]
    public void FindRequirementFlagsOffset_NotElf_ThrowsInvalidData()
    {
        var ex = Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.FindRequirementFlagsOffset(new byte[64], Version));
        Assert.Contains("magic", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindRequirementFlagsOffset_TruncatedSectionTable_ThrowsInvalidDataNamingOffset()
    {
        byte[] elf = new byte[64];
        elf[0] = 0x7f;
        elf[1] = (byte)'E';
        elf[2] = (byte)'L';
        elf[3] = (byte)'F';
        elf[4] = 2;
        elf[5] = 1;
        elf[0x28] = 0x40; // section headers at 64, i.e. past the end
        elf[0x3a] = 64;
        elf[0x3c] = 1;
        var ex = Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.FindRequirementFlagsOffset(elf, Version));
        Assert.Contains("offset", ex.Message, StringComparison.Ordinal);
    }

    private static string OriginalLibrary()
    {
        string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string path = Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Skip.IfNot(File.Exists(path), $"The NuGet cache copy {path} is absent.");
        return path;
    }
}
