using System.Globalization;

using SleepScoring.CommandLine;
using SleepScoring.Training.Baseline;
using SleepScoring.Training.Metrics;
using SleepScoring.Training.Training;

namespace SleepScoring.Lab.Verbs;

/// <summary>
/// <c>sleepscore-lab baseline</c>: "what the spectra hold" — the feature MLP cross-validated by
/// subject on the real per-epoch features, with both derivations and with each alone, one table.
/// The single-derivation rows bound what any model trained on the surrogate nights can reach
/// from one derivation, since the surrogates are generated from these very spectra.
/// </summary>
internal sealed class BaselineVerb : IVerb
{
    public string Name => "baseline";

    public string Arguments => "--features <dir of night CSVs> [--derivations both,fpz_cz,pz_oz] [--silent-features gamma,mobility,…] [--seed N] [--threads N]";

    public string Summary => "cross-validate the feature baseline with both derivations and with each alone";

    public int Run(IReadOnlyList<string> args, TextWriter output)
    {
        OptionList options = OptionList.Parse(args, ["--features", "--derivations", "--silent-features", "--seed", "--threads"], []);
        string features = options.Required("--features");
        string[] rows = (options.Optional("--derivations") ?? "both," + string.Join(',', FeatureNight.Derivations)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string row in rows.Where(r => r != "both" && !FeatureNight.Derivations.Contains(r)))
        {
            throw new UsageException($"--derivations: '{row}' is not 'both' or one of {string.Join(", ", FeatureNight.Derivations)}");
        }

        string[] silentFeatures = (options.Optional("--silent-features") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (FeatureNight.UnknownFeature(silentFeatures) is string feature)
        {
            throw new UsageException($"--silent-features: '{feature}' matches none of {string.Join(", ", FeatureNight.FeatureNames)}");
        }

        TorchRuntime.Configure(options.PositiveOr("--threads", 1));
        ulong seed = options.UnsignedOr("--seed", 1);
        var defaults = new FeatureBaselineOptions();
        output.WriteLine("| derivations | accuracy | κ | macro-F1 | per fold (accuracy) |");
        output.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (string row in rows)
        {
            string? silent = row == "both" ? null : FeatureNight.Derivations.Single(d => d != row);
            var run = defaults with { Seed = seed, SilentDerivation = silent, SilentFeatures = silentFeatures, Trainer = defaults.Trainer with { ProgressLabel = null } };
            FeatureBaselineResult result = FeatureBaseline.CrossValidate(features, run, Console.Error);
            string without = silentFeatures.Length == 0 ? "" : $", without {string.Join(", ", silentFeatures)}";
            output.WriteLine(Row((row == "both" ? string.Join(" + ", FeatureNight.Derivations) : row + " alone") + without, result));
        }

        return VerbDispatcher.Success;
    }

    private static string Row(string name, FeatureBaselineResult result)
    {
        StagingMetrics p = result.Pooled;
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {p.Accuracy:P1} | {p.Kappa:F3} | {p.MacroF1:F3} | {string.Join(" / ", result.Folds.Select(f => f.Accuracy.ToString("P1", CultureInfo.InvariantCulture)))} |");
    }
}
