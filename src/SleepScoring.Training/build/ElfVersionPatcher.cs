// Compiled twice: by MSBuild's RoslynCodeTaskFactory as the inline task of
// LibTorchSharpNatives.targets (netstandard, no NET symbol: the task class is included), and by
// the Training tests (net10: only the ELF logic). Keep it to netstandard2.0 APIs.
using System;
using System.IO;
using System.Text;

namespace SleepScoring.Training.Build
{
    /// <summary>Outcome of <see cref="ElfVersionPatcher.MarkRequirementWeak"/>.</summary>
    public enum ElfPatchOutcome
    {
        /// <summary>The Vernaux flags were changed to include VER_FLG_WEAK.</summary>
        Patched,

        /// <summary>The requirement was already weak; nothing was written.</summary>
        AlreadyWeak,

        /// <summary>The file does not require that version; nothing was written.</summary>
        NotRequired,
    }

    /// <summary>
    /// A minimal little-endian ELF64 reader for symbol versions: it walks the section headers to
    /// <c>.gnu.version_r</c> (Verneed → Vernaux chain) and <c>.gnu.version_d</c> (Verdef →
    /// Verdaux), resolving names in the linked string table. It lets the build mark one needed
    /// version weak (VER_FLG_WEAK) so glibc's loader accepts a library whose only reference to it
    /// is a symbol that is never called.
    /// </summary>
    public static class ElfVersionPatcher
    {
        /// <summary>VER_FLG_WEAK from elf.h.</summary>
        public const ushort WeakFlag = 0x2;

        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const uint ShtNoBits = 8;

        /// <summary>File offset of the vna_flags field of the Vernaux entry naming <paramref name="version"/>, or -1.</summary>
        public static long FindRequirementFlagsOffset(byte[] elf, string version)
        {
            foreach (Section section in Sections(elf))
            {
                if (section.Type != ShtGnuVerneed)
                {
                    continue;
                }

                Section strings = SectionAt(elf, section.Link);
                long entry = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    ushort count = U16(elf, entry + 2);
                    long aux = entry + U32(elf, entry + 8);
                    for (uint j = 0; j < count; j++)
                    {
                        if (NameAt(elf, strings, U32(elf, aux + 8)) == version)
                        {
                            return aux + 4;
                        }

                        aux += U32(elf, aux + 12);
                    }

                    entry += U32(elf, entry + 12);
                }
            }

            return -1;
        }

        /// <summary>True when the library defines (exports) the symbol version <paramref name="version"/>.</summary>
        public static bool DefinesVersion(byte[] elf, string version)
        {
            foreach (Section section in Sections(elf))
            {
                if (section.Type != ShtGnuVerdef)
                {
                    continue;
                }

                Section strings = SectionAt(elf, section.Link);
                long entry = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    // Verdef: vd_cnt at 6, vd_aux at 12, vd_next at 16; the first Verdaux names the version.
                    if (U16(elf, entry + 6) > 0)
                    {
                        long aux = entry + U32(elf, entry + 12);
                        if (NameAt(elf, strings, U32(elf, aux)) == version)
                        {
                            return true;
                        }
                    }

                    entry += U32(elf, entry + 16);
                }
            }

            return false;
        }

        /// <summary>
        /// Sets VER_FLG_WEAK on the requirement of <paramref name="version"/> in the file at
        /// <paramref name="path"/>, writing only those two bytes and keeping the file's time stamp
        /// (so MSBuild's incremental copy does not replace it again). Idempotent.
        /// </summary>
        public static ElfPatchOutcome MarkRequirementWeak(string path, string version)
        {
            byte[] elf = File.ReadAllBytes(path);
            long offset = FindRequirementFlagsOffset(elf, version);
            if (offset < 0)
            {
                return ElfPatchOutcome.NotRequired;
            }

            ushort flags = U16(elf, offset);
            if ((flags & WeakFlag) != 0)
            {
                return ElfPatchOutcome.AlreadyWeak;
            }

            ushort patched = (ushort)(flags | WeakFlag);
            DateTime stamp = File.GetLastWriteTimeUtc(path);
            using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None))
            {
                stream.Position = offset;
                stream.WriteByte((byte)(patched & 0xff));
                stream.WriteByte((byte)(patched >> 8));
            }

            File.SetLastWriteTimeUtc(path, stamp);
            return ElfPatchOutcome.Patched;
        }

        private static System.Collections.Generic.IEnumerable<Section> Sections(byte[] elf)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            {
                throw new InvalidDataException("Not an ELF file: the magic bytes at offset 0 are wrong.");
            }

            if (elf[4] != 2 || elf[5] != 1)
            {
                throw new InvalidDataException($"Only little-endian ELF64 is supported (EI_CLASS={elf[4]}, EI_DATA={elf[5]} at offsets 4 and 5).");
            }

            ushort count = U16(elf, 0x3c);
            for (uint i = 0; i < count; i++)
            {
                yield return SectionAt(elf, i);
            }
        }

        private static Section SectionAt(byte[] elf, uint index)
        {
            long table = (long)U64(elf, 0x28);
            ushort size = U16(elf, 0x3a);
            ushort count = U16(elf, 0x3c);
            if (index >= count || size < 64)
            {
                throw new InvalidDataException($"Section index {index} is outside the section header table ({count} entries of {size} bytes at offset {table}).");
            }

            long header = table + (index * size);
            var section = new Section(U32(elf, header + 4), (long)U64(elf, header + 24), (long)U64(elf, header + 32), U32(elf, header + 40), U32(elf, header + 44));
            bool occupiesFile = section.Type != ShtNoBits;
            if (occupiesFile && (section.Offset < 0 || section.Size < 0 || section.Offset + section.Size > elf.Length))
            {
                throw new InvalidDataException($"Section {index} (offset {section.Offset}, size {section.Size}) extends past the end of the file ({elf.Length} bytes).");
            }

            return section;
        }

        private static string NameAt(byte[] elf, Section strings, uint nameOffset)
        {
            long start = strings.Offset + nameOffset;
            long end = start;
            long limit = strings.Offset + strings.Size;
            while (end < limit && elf[end] != 0)
            {
                end++;
            }

            if (nameOffset >= strings.Size || end >= limit)
            {
                throw new InvalidDataException($"String at offset {nameOffset} of the string table (file offset {strings.Offset}) is not terminated inside it.");
            }

            return Encoding.ASCII.GetString(elf, (int)start, (int)(end - start));
        }

        private static ushort U16(byte[] elf, long offset)
        {
            Check(elf, offset, 2);
            return (ushort)(elf[offset] | (elf[offset + 1] << 8));
        }

        private static uint U32(byte[] elf, long offset)
        {
            Check(elf, offset, 4);
            return (uint)(elf[offset] | (elf[offset + 1] << 8) | (elf[offset + 2] << 16) | (elf[offset + 3] << 24));
        }

        private static ulong U64(byte[] elf, long offset) => U32(elf, offset) | ((ulong)U32(elf, offset + 4) << 32);

        private static void Check(byte[] elf, long offset, int length)
        {
            if (offset < 0 || offset + length > elf.Length)
            {
                throw new InvalidDataException($"Read of {length} bytes at offset {offset} is past the end of the file ({elf.Length} bytes).");
            }
        }

        private readonly struct Section
        {
            public Section(uint type, long offset, long size, uint link, uint info)
            {
                Type = type;
                Offset = offset;
                Size = size;
                Link = link;
                Info = info;
            }

            public uint Type { get; }

            public long Offset { get; }

            public long Size { get; }

            public uint Link { get; }

            public uint Info { get; }
        }
    }

#if !NET
    /// <summary>
    /// MSBuild task: when the system libstdc++ does not define <see cref="Version"/>, marks the
    /// requirement of it in <see cref="Library"/> weak. Never touches anything but that file.
    /// </summary>
    public sealed class WeakenElfVersionRequirement : Microsoft.Build.Utilities.Task
    {
        /// <summary>The copy of the native library in the output folder.</summary>
        [Microsoft.Build.Framework.Required]
        public string Library { get; set; } = string.Empty;

        /// <summary>The symbol version, e.g. GLIBCXX_3.4.32.</summary>
        [Microsoft.Build.Framework.Required]
        public string Version { get; set; } = string.Empty;

        /// <summary>Candidate paths of the system libstdc++.so.6, first existing one wins.</summary>
        [Microsoft.Build.Framework.Required]
        public string[] SystemLibraries { get; set; } = Array.Empty<string>();

        /// <inheritdoc />
        public override bool Execute()
        {
            if (!File.Exists(Library))
            {
                return true;
            }

            string system = Array.Find(SystemLibraries, File.Exists);
            if (system == null)
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "No system libstdc++ found; {0} left unchanged.", Library);
                return true;
            }

            try
            {
                bool systemHasIt;
                try
                {
                    systemHasIt = ElfVersionPatcher.DefinesVersion(File.ReadAllBytes(system), Version);
                }
                catch (InvalidDataException ex)
                {
                    Log.LogWarning("Cannot read the symbol versions of {0} ({1}); {2} left unchanged.", system, ex.Message, Library);
                    return true;
                }

                if (systemHasIt)
                {
                    Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "{0} defines {1}; {2} left unchanged.", system, Version, Library);
                    return true;
                }

                ElfPatchOutcome outcome = ElfVersionPatcher.MarkRequirementWeak(Library, Version);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, "{0}: requirement {1} {2} ({3} lacks it).", Library, Version, outcome, system);
                return true;
            }
            catch (InvalidDataException ex)
            {
                Log.LogError("Cannot patch {0}: {1}", Library, ex.Message);
                return false;
            }
        }
    }
#endif
}
