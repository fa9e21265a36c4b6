using System.Runtime.InteropServices;

using SleepScoring.Analysis.Conditioning;

namespace SleepScoring.Api.Scored;

/// <summary>
/// The conditioned derivations the model read (100 Hz, µV), kept per study so a clinician image
/// of any epoch is drawn without conditioning the night again. Layout: int32 signal count, int32
/// samples per signal, the signal names (length-prefixed UTF-8), then float32 samples signal after signal.
/// </summary>
public static class ModelSignalsFile
{

    /// <summary>Writes the signals (to a temporary name, then moved: readers never see half a file).</summary>
    public static void Write(string path, IReadOnlyList<string> names, float[][] signals)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(signals);
        string temporary = path + ".tmp";
        using (var writer = new BinaryWriter(new FileStream(temporary, Storage.OwnerOnly.NewFile())))
        {
            int length = signals.Length == 0 ? 0 : signals[0].Length;
            writer.Write(signals.Length);
            writer.Write(length);
            foreach (string name in names.Take(signals.Length))
            {
                writer.Write(name);
            }

            foreach (float[] signal in signals)
            {
                writer.Write(MemoryMarshal.AsBytes(signal.AsSpan(0, length)));
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

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
}
