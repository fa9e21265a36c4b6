using System.Runtime.InteropServices;
using System.Text;

using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Signals;
using SleepScoring.Api.Storage;

namespace SleepScoring.Api.Scored;

/// <summary>
/// The conditioned derivations the model read (100 Hz, µV), kept per study so a clinician image
/// of any epoch is drawn without conditioning the night again. Layout: int32 signal count, int32
/// samples per signal, the signal names (length-prefixed UTF-8), then float32 samples signal after signal.
/// Conditioning writes the signals straight into the file (<see cref="Writer"/>): a night of any
/// length is never held in memory.
/// </summary>
public static class ModelSignalsFile
{

    /// <summary>Reads one epoch (all signals, signal after signal) and the signal names.</summary>
    public static (string[] Names, float[] Samples) ReadEpoch(string path, int epoch)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        int count = reader.ReadInt32(), length = reader.ReadInt32();
        string[] names = [.. Enumerable.Range(0, count).Select(_ => reader.ReadString())];
        long dataStart = reader.BaseStream.Position;
        float[] samples = new float[count * ConditionedEpoch.Samples];
        for (int b = 0; b < count; b++)
        {
            int from = epoch * ConditionedEpoch.Samples, available = Math.Clamp(length - from, 0, ConditionedEpoch.Samples);
            reader.BaseStream.Position = dataStart + (((long)b * length) + from) * sizeof(float);
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(samples.AsSpan(b * ConditionedEpoch.Samples, available)));
        }

        return (names, samples);
    }

    /// <summary>
    /// Writes a signals file under a temporary name while conditioning fills it: <see cref="Track"/>
    /// hands out the region of each named signal (the first request fixes the length and writes the
    /// header); <see cref="Complete"/> moves the file into place, so readers never see half a file.
    /// Disposing without completing removes it.
    /// </summary>
    public sealed class Writer(string path, IReadOnlyList<string> names) : IDisposable
    {
        private readonly string temporary = path + ".tmp";
        private FileStream? file;
        private long length = -1;
        private long dataStart;

        /// <summary>The region of signal <paramref name="name"/> (<paramref name="length"/> samples), or null when the file holds no such signal.</summary>
        public SampleStore<float>? Track(string name, long samples)
        {
            int index = names.ToList().IndexOf(name);
            if (index < 0)
            {
                return null;
            }

            if (file is null)
            {
                Begin(samples);
            }
            else if (samples != length)
            {
                throw new InvalidOperationException($"Signals of one file have one length: {length}, not {samples}.");
            }

            return new FileStore<float>(file!.SafeFileHandle, dataStart + (index * length * sizeof(float)), length);
        }

        /// <summary>Moves the finished file into place (signals never requested stay zero).</summary>
        public void Complete()
        {
            if (file is null)
            {
                Begin(0);
            }

            file!.Flush(flushToDisk: true);
            file.Dispose();
            file = null;
            File.Move(temporary, path, overwrite: true);
        }

        public void Dispose()
        {
            if (file is not null)
            {
                file.Dispose();
                file = null;
                File.Delete(temporary);
            }
        }

        private void Begin(long samples)
        {
            length = samples;
            FileStreamOptions options = OwnerOnly.NewFile();
            options.Access = FileAccess.ReadWrite;
            options.BufferSize = 0;
            file = new FileStream(temporary, options);
            using var header = new MemoryStream();
            using (var writer = new BinaryWriter(header, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(names.Count);
                writer.Write(checked((int)samples));
                foreach (string name in names)
                {
                    writer.Write(name);
                }
            }

            file.Write(header.ToArray());
            dataStart = header.Length;
            RandomAccess.SetLength(file.SafeFileHandle, dataStart + (names.Count * samples * sizeof(float)));
        }
    }
}
