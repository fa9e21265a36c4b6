using System.Runtime.InteropServices;

namespace SleepScoring.Api.Scored;

/// <summary>
/// The conditioned derivations the model read (100 Hz, µV), kept per study so a clinician image
/// of any epoch is drawn without conditioning the night again. Layout: int32 band count, int32
/// samples per band, the band names (length-prefixed UTF-8), then float32 samples band after band.
/// </summary>
public static class ModelBandsFile
{
    private const int SamplesPerEpoch = 3000;

    /// <summary>Writes the bands (to a temporary name, then moved: readers never see half a file).</summary>
    public static void Write(string path, IReadOnlyList<string> names, float[][] bands)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(bands);
        string temporary = path + ".tmp";
        using (var writer = new BinaryWriter(new FileStream(temporary, Storage.OwnerOnly.NewFile())))
        {
            int length = bands.Length == 0 ? 0 : bands[0].Length;
            writer.Write(bands.Length);
            writer.Write(length);
            foreach (string name in names.Take(bands.Length))
            {
                writer.Write(name);
            }

            foreach (float[] band in bands)
            {
                writer.Write(MemoryMarshal.AsBytes(band.AsSpan(0, length)));
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads one epoch (all bands, band after band) and the band names.</summary>
    public static (string[] Names, float[] Samples) ReadEpoch(string path, int epoch)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        int count = reader.ReadInt32(), length = reader.ReadInt32();
        string[] names = [.. Enumerable.Range(0, count).Select(_ => reader.ReadString())];
        long dataStart = reader.BaseStream.Position;
        float[] samples = new float[count * SamplesPerEpoch];
        for (int b = 0; b < count; b++)
        {
            int from = epoch * SamplesPerEpoch, available = Math.Clamp(length - from, 0, SamplesPerEpoch);
            reader.BaseStream.Position = dataStart + (((long)b * length) + from) * sizeof(float);
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(samples.AsSpan(b * SamplesPerEpoch, available)));
        }

        return (names, samples);
    }
}
