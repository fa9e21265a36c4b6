using SleepScoring.Analysis;
using SleepScoring.Training.Data;
using SleepScoring.Training.Models;
using SleepScoring.Training.Training;

namespace SleepScoring.Training.Adaptation;

/// <summary>
/// A site's unscored studies as adaptation data: every PSG of a folder drawn as the model draws
/// its images, each cropped — without labels — to the sleep period the source model itself sees
/// (first to last epoch it stages as sleep) ± 30 min, as training crops to the scored sleep period:
/// long hours of wake would otherwise dominate the site's statistics.
/// </summary>
public static class SiteNights
{
    /// <summary>Epochs of wake kept before the first and after the last epoch staged as sleep (30 min).</summary>
    public const int MarginEpochs = 60;

    /// <summary>The site's nights in <paramref name="folder"/> (files <c>*.edf</c> except <c>*-Hypnogram.edf</c>).</summary>
    /// <exception cref="TrainingDataException">The folder has no PSG, or a file is unreadable.</exception>
    public static EpochDataset Load(string folder, NightImageOptions options, EpochEncoder encoder, InterEpochTransformer sequence, ICollection<string> notes)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(notes);
        string[] files = Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder, "*.edf").Concat(Directory.EnumerateFiles(folder, "*.EDF"))
                .Where(f => !f.EndsWith("-Hypnogram.edf", StringComparison.OrdinalIgnoreCase)).Distinct().Order(StringComparer.Ordinal)]
            : throw new TrainingDataException($"The site folder '{folder}' does not exist.");
        if (files.Length == 0)
        {
            throw new TrainingDataException($"The site folder '{folder}' holds no PSG (*.edf other than *-Hypnogram.edf).");
        }

        return Load(files, options, encoder, sequence, notes);
    }

    /// <summary>The site's nights in <paramref name="files"/> (PSG files, e.g. a benchmark's shifted or unshifted nights wherever they lie).</summary>
    /// <exception cref="TrainingDataException">A file is unreadable.</exception>
    public static EpochDataset Load(IReadOnlyList<string> files, NightImageOptions options, EpochEncoder encoder, InterEpochTransformer sequence, ICollection<string> notes)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(notes);
        var nights = new List<NightImages>();
        foreach (string file in files)
        {
            NightImages night = NightImageLoader.LoadUnscored(file, options);
            NightImages cropped = Crop(night, NightScorer.Probabilities(encoder, sequence, night));
            notes.Add($"{Path.GetFileName(file)}: {night.Count} scorable epochs, {cropped.Count} around the sleep the source model sees");
            nights.Add(cropped);
        }

        return new EpochDataset(nights);
    }

    /// <summary>The night cut to [first sleep − margin, last sleep + margin] by the model's most probable stages (whole night when it sees no sleep).</summary>
    public static NightImages Crop(NightImages night, float[,] probabilities)
    {
        ArgumentNullException.ThrowIfNull(night);
        ArgumentNullException.ThrowIfNull(probabilities);
        int[] asleep = [.. Enumerable.Range(0, night.Count).Where(p => NightScorer.MostProbable(probabilities, p) != (int)SleepStage.W)];
        if (asleep.Length == 0)
        {
            return night;
        }

        int first = Math.Max(0, asleep[0] - MarginEpochs), last = Math.Min(night.Count - 1, asleep[^1] + MarginEpochs);
        int size = night.Height * night.Width, count = last - first + 1;
        byte[] pixels = new byte[count * size];
        for (int p = 0; p < count; p++)
        {
            night.Image(first + p).CopyTo(pixels.AsSpan(p * size, size));
        }

        return new NightImages(night.SubjectId, night.NightId, night.Height, night.Width, pixels, night.Stages[first..(last + 1)].ToArray(), night.EpochIndices[first..(last + 1)].ToArray());
    }
}
