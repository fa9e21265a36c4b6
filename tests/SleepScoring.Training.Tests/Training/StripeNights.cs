using SleepScoring.Analysis;
using SleepScoring.Training.Data;

namespace SleepScoring.Training.Tests.Training;

/// <summary>
/// Synthetic nights whose stage is visible: each epoch image is vertical stripes whose spatial
/// frequency is 1 + 2·stage cycles per width, with a random phase and pixel noise.
/// </summary>
internal static class StripeNights
{
    public static NightImages Night(string subject, int night, int epochs, int height, int width, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[epochs * height * width];
        var stages = new SleepStage[epochs];
        for (int e = 0; e < epochs; e++)
        {
            stages[e] = (SleepStage)random.Next(5);
            double cycles = 1 + (2 * (int)stages[e]), phase = random.NextDouble() * 2 * Math.PI;
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    double value = 128 + (90 * Math.Sin((2 * Math.PI * cycles * x / width) + phase)) + (random.NextDouble() * 30) - 15;
                    pixels[(((e * height) + y) * width) + x] = (byte)Math.Clamp(value, 0, 255);
                }
            }
        }

        return new NightImages(subject, night, height, width, pixels, stages, Enumerable.Range(0, epochs).ToArray());
    }

    public static EpochDataset Dataset(int subjects, int epochs, int height, int width, int seed) =>
        new(Enumerable.Range(0, subjects).Select(s => Night($"S{s}", 1, epochs, height, width, seed + s)));
}