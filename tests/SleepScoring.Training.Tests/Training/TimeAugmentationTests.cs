using SleepScoring.Training.Training;

namespace SleepScoring.Training.Tests.Training;

public sealed class TimeAugmentationTests
{
    private const int Height = 3, Width = 40, Samples = 64;

    [Fact]
    public void Every_image_is_itself_reversed_or_not_and_shifted_by_at_most_the_limit()
    {
        byte[] pixels = Columns();
        int[] samples = [.. Enumerable.Range(100, Samples)];

        new TimeAugmentation(Seed: 3, MaxShift: 4).Apply(pixels, samples, pass: 2, Height, Width);

        int reversed = 0;
        for (int i = 0; i < Samples; i++)
        {
            byte[] row = pixels.AsSpan(i * Height * Width, Width).ToArray();
            // Column x of the original holds x; after a shift by s (edge repeated) column x holds
            // clamp(x − s); reversal then mirrors the columns. Find the variant that explains the row.
            (bool Reverse, int Shift)? match = null;
            foreach (bool reverse in new[] { false, true })
            {
                for (int shift = -4; shift <= 4; shift++)
                {
                    if (Enumerable.Range(0, Width).All(x => row[x] == (reverse ? Width - 1 - Math.Clamp(x - shift, 0, Width - 1) : Math.Clamp(x - shift, 0, Width - 1))))
                    {
                        match ??= (reverse, shift);
                    }
                }
            }

            Assert.True(match is not null, $"sample {i}: row [{string.Join(' ', row)}] is no reversal or shift of ≤ 4");
            reversed += match.Value.Reverse ? 1 : 0;
            for (int r = 1; r < Height; r++)
            {
                Assert.Equal(row, pixels.AsSpan((i * Height * Width) + (r * Width), Width).ToArray()); // every band moves alike
            }
        }

        // Reversal with probability ½: 64 samples all one way would happen once in 2^63 runs.
        Assert.InRange(reversed, 1, Samples - 1);
    }

    [Fact]
    public void The_choice_depends_on_seed_pass_and_sample_only()
    {
        var augmentation = new TimeAugmentation(Seed: 11);
        int[] samples = [.. Enumerable.Range(0, Samples)];
        byte[] a = Columns(), b = Columns(), c = Columns();

        augmentation.Apply(a, samples, pass: 1, Height, Width);
        augmentation.Apply(b, samples, pass: 1, Height, Width);
        augmentation.Apply(c, samples, pass: 2, Height, Width);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void A_samples_choice_does_not_depend_on_its_place_in_the_batch()
    {
        var augmentation = new TimeAugmentation(Seed: 5);
        int[] samples = [.. Enumerable.Range(0, Samples)];
        int[] reversedOrder = [.. samples.Reverse()];
        byte[] forward = Columns(), backward = Columns();

        augmentation.Apply(forward, samples, pass: 3, Height, Width);
        augmentation.Apply(backward, reversedOrder, pass: 3, Height, Width);

        // Image i of the first batch is sample i; image Samples − 1 − i of the second is the same sample.
        int size = Height * Width;
        for (int i = 0; i < Samples; i++)
        {
            Assert.Equal(forward.AsSpan(i * size, size).ToArray(), backward.AsSpan((Samples - 1 - i) * size, size).ToArray());
        }
    }

    private static byte[] Columns()
    {
        var pixels = new byte[Samples * Height * Width];
        for (int p = 0; p < pixels.Length; p++)
        {
            pixels[p] = (byte)(p % Width);
        }

        return pixels;
    }
}
