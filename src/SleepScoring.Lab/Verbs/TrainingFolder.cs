using System.Globalization;

using SleepScoring.Training.Data;
using SleepScoring.Training.Metrics;

namespace SleepScoring.Lab.Verbs;

/// <summary>What <c>train</c> and <c>evaluate</c> share: loading a data folder (warnings on stderr) and printing metrics.</summary>
internal static class TrainingFolder
{
    /// <summary>Pairs, conditions and renders every night in <paramref name="directory"/>; warnings go to stderr.</summary>
    public static IReadOnlyList<LoadedNight> Load(string directory, NightImageOptions options, TextWriter error)
    {
        var warnings = new List<string>();
        IReadOnlyList<LoadedNight> nights;
        try
        {
            nights = NightImageLoader.Load(PsgFolder.FindPairs(directory, warnings), options, warnings);
        }
        finally
        {
            foreach (string warning in warnings)
            {
                error.WriteLine($"warning: {warning}");
            }
        }

        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{nights.Count} night(s) of {nights.Select(n => n.Pair.SubjectId).Distinct().Count()} subject(s), {nights.Sum(n => n.Images.Count)} epochs ({(options.WholeRecording ? "whole recordings" : "sleep period ± 30 min")}), {options.Layout.Name} images"));
        return nights;
    }

    /// <summary>Accuracy, κ, macro-F1, per-class F1 and the confusion matrix (rows = truth) as text.</summary>
    public static void Write(TextWriter output, string title, StagingMetrics metrics)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{title}: accuracy {metrics.Accuracy:P1}, kappa {metrics.Kappa:F3}, macro-F1 {metrics.MacroF1:F3}, {metrics.Epochs} epochs"));
        output.WriteLine("  F1 " + string.Join("  ", metrics.PerClassF1.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:F3}"))));
        output.WriteLine("  confusion (rows = truth; columns W N1 N2 N3 R):");
        string[] names = ["W", "N1", "N2", "N3", "R"];
        for (int row = 0; row < metrics.Confusion.Length; row++)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {names[row],-3}") + string.Concat(metrics.Confusion[row].Select(c => c.ToString(CultureInfo.InvariantCulture).PadLeft(7))));
        }
    }
}
