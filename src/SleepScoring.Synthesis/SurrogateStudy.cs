using SleepScoring.Analysis;
using SleepScoring.Analysis.Staging;

namespace SleepScoring.Synthesis;

/// <summary>What to synthesise: a night's feature table and its real hypnogram, optionally cropped.</summary>
/// <param name="FeaturesPath">Sleep-EDF feature table (CSV).</param>
/// <param name="HypnogramPath">The night's real hypnogram (EDF+, Sleep-EDF layout).</param>
/// <param name="OutputDirectory">Folder for the PSG and hypnogram files (created if missing).</param>
/// <param name="Seed">Generator seed: the same inputs and seed give the same files.</param>
/// <param name="StartEpoch">First epoch of the crop (0: the recording start).</param>
/// <param name="EpochCount">Epochs in the crop (null: to the end of the night).</param>
public sealed record SurrogateStudyRequest(
    string FeaturesPath, string HypnogramPath, string OutputDirectory, ulong Seed = 1, int StartEpoch = 0, int? EpochCount = null);

/// <summary>The files a surrogate study was written to.</summary>
/// <param name="PsgPath">The PSG (EDF+C, 7 signals).</param>
/// <param name="HypnogramPath">The hypnogram (EDF+C annotations, Sleep-EDF layout).</param>
/// <param name="EpochCount">Epochs in both files.</param>
/// <param name="ScoredEpochs">Epochs synthesised from a table row and carrying the real stage; the rest are Unscored filler.</param>
public sealed record SurrogateStudyFiles(string PsgPath, string HypnogramPath, int EpochCount, int ScoredEpochs);

/// <summary>
/// Makes a surrogate study the way <c>sleepscore-lab synthesize</c> does: EEG from the feature table
/// (<see cref="SurrogateSynthesizer"/>), stages from the real hypnogram, epochs without a table
/// row marked Unscored, files named like Sleep-EDF (<c>SC4001E0-PSG.edf</c>, and the input
/// hypnogram's name, e.g. <c>SC4001EC-Hypnogram.edf</c>).
/// </summary>
public static class SurrogateStudy
{
    /// <summary>Synthesises and writes the study.</summary>
    /// <exception cref="FeatureTableException">The feature table is malformed.</exception>
    /// <exception cref="HypnogramFormatException">The hypnogram is unreadable.</exception>
    /// <exception cref="ArgumentException">The crop lies outside the night, holds no table row, or the output would overwrite the input hypnogram.</exception>
    public static SurrogateStudyFiles Generate(SurrogateStudyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        NightFeatures night = FeatureTableReader.Read(request.FeaturesPath);
        Hypnogram real = HypnogramEdf.Read(request.HypnogramPath).Hypnogram;
        int total = Math.Max(real.Count, night.EpochSpan);
        int start = request.StartEpoch;
        int count = request.EpochCount ?? (total - start);
        if (start < 0 || count < 1 || start + count > total)
        {
            throw new ArgumentException($"Crop start epoch {start}, {count} epochs lies outside the night's {total} epochs.", nameof(request));
        }

        NightFeatures crop = night with
        {
            Rows = [.. night.Rows.Where(r => r.Epoch >= start && r.Epoch < start + count).Select(r => r with { Epoch = r.Epoch - start })],
        };
        if (crop.Rows.Count == 0)
        {
            throw new ArgumentException($"Epochs {start}–{start + count - 1} hold no row of {night.Name}'s feature table.", nameof(request));
        }

        Directory.CreateDirectory(request.OutputDirectory);
        string psgPath = Path.Combine(request.OutputDirectory, $"{night.Name}-PSG.edf");
        string hypnogramName = Path.GetFileName(request.HypnogramPath);
        string hypnogramPath = Path.Combine(request.OutputDirectory, hypnogramName.EndsWith("-Hypnogram.edf", StringComparison.OrdinalIgnoreCase) ? hypnogramName : $"{night.Name}-Hypnogram.edf");
        if (Path.GetFullPath(hypnogramPath) == Path.GetFullPath(request.HypnogramPath))
        {
            throw new ArgumentException($"The output folder holds the input hypnogram {hypnogramPath}: choose another folder.", nameof(request));
        }

        SurrogateRecording recording = SurrogateSynthesizer.Synthesize(crop, count, request.Seed);
        var stages = new SleepStage[count];
        for (int e = 0; e < count; e++)
        {
            int source = start + e;
            stages[e] = recording.FromScoredRow[e] && source < real.Count ? real[source] : SleepStage.Unscored;
        }

        DateTime startTime = (real.StartTime ?? new DateTime(2000, 1, 1)).AddSeconds(start * Hypnogram.StandardEpochSeconds);
        SurrogateEdfWriter.WritePsg(recording, startTime, psgPath);
        HypnogramEdf.Write(new Hypnogram(stages, Hypnogram.StandardEpochSeconds, startTime), hypnogramPath);
        return new SurrogateStudyFiles(psgPath, hypnogramPath, count, stages.Count(s => s != SleepStage.Unscored));
    }
}
