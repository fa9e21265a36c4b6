using System.Globalization;

using SleepScoring.Analysis;

namespace SleepScoring.Training.Baseline;

/// <summary>
/// One night of the real per-epoch spectral features (../shared/data/sleep-edf-features/*.csv):
/// per scored epoch its index from the recording start, its stage and 14 values, already
/// transformed for a model — log10 of the 10 band powers and 2 variances, mobility as is.
/// </summary>
public sealed class FeatureNight
{
    /// <summary>Feature columns per epoch, in file order.</summary>
    public const int FeatureCount = 14;

    /// <summary>Largest epoch index accepted (about 35 days of 30-s epochs), so a bad file cannot make us allocate without bound.</summary>
    public const int MaxEpochIndex = 100_000;

    /// <summary>The derivations of the feature table, in column order (7 features each).</summary>
    public static readonly IReadOnlyList<string> Derivations = ["fpz_cz", "pz_oz"];

    /// <summary>The features of each derivation, in column order.</summary>
    public static readonly IReadOnlyList<string> FeatureNames = ["psd_delta_0.5_4", "psd_theta_4_8", "psd_alpha_8_13", "psd_beta_13_30", "psd_gamma_30_50", "variance", "hjorth_mobility"];

    private static readonly string[] Channels = [.. Derivations];
    private static readonly string[] Bands = [.. FeatureNames];

    private FeatureNight(string subjectId, int nightId, int[] epochs, SleepStage[] stages, float[] features)
    {
        SubjectId = subjectId;
        NightId = nightId;
        Epochs = epochs;
        Stages = stages;
        Features = features;
    }

    /// <summary>Subject id, e.g. SC400 for SC4001E0.</summary>
    public string SubjectId { get; }

    /// <summary>Night number (1 or 2 in Sleep-EDF).</summary>
    public int NightId { get; }

    /// <summary>Epoch index of each row from the recording start (gaps = unscored epochs).</summary>
    public int[] Epochs { get; }

    /// <summary>Stage of each row.</summary>
    public SleepStage[] Stages { get; }

    /// <summary>Row-major [rows, 14] transformed features.</summary>
    public float[] Features { get; }

    /// <summary>Rows in the file.</summary>
    public int Count => Stages.Length;

    /// <summary>
    /// This night with one derivation's features made constant (zero) on every row: after
    /// standardisation they read as the training mean, so a model learns from the other derivation
    /// alone — the baseline's counterpart of drawing a derivation as a silent trace.
    /// </summary>
    public FeatureNight WithSilent(string derivation)
    {
        int slot = Array.IndexOf(Channels, derivation);
        if (slot < 0)
        {
            throw new ArgumentException($"Derivation '{derivation}' is not one of {string.Join(", ", Channels)}.", nameof(derivation));
        }

        return Silenced(column => column / Bands.Length == slot);
    }

    /// <summary>
    /// This night with the features whose name contains one of <paramref name="names"/> (e.g.
    /// <c>gamma</c>, <c>mobility</c>; see <see cref="FeatureNames"/>) silenced in both derivations,
    /// as <see cref="WithSilent(string)"/> silences a derivation.
    /// </summary>
    public FeatureNight WithSilentFeatures(IReadOnlyCollection<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (UnknownFeature(names) is string unknown)
        {
            throw new ArgumentException($"Feature '{unknown}' matches none of {string.Join(", ", Bands)}.", nameof(names));
        }

        return Silenced(column => names.Any(n => Bands[column % Bands.Length].Contains(n, StringComparison.Ordinal)));
    }

    /// <summary>The first of <paramref name="names"/> that is part of no feature name, or null when each is.</summary>
    public static string? UnknownFeature(IEnumerable<string> names) =>
        names.FirstOrDefault(n => !Bands.Any(b => b.Contains(n, StringComparison.Ordinal)));

    private FeatureNight Silenced(Func<int, bool> silent)
    {
        float[] features = (float[])Features.Clone();
        for (int column = 0; column < FeatureCount; column++)
        {
            if (!silent(column))
            {
                continue;
            }

            for (int r = 0; r < Count; r++)
            {
                features[(r * FeatureCount) + column] = 0f;
            }
        }

        return new FeatureNight(SubjectId, NightId, Epochs, Stages, features);
    }

    /// <summary>Reads one CSV; the name (SC4sn…) gives subject SC4s and night n.</summary>
    public static FeatureNight Read(string path)
    {
        string name = Path.GetFileNameWithoutExtension(path);
        if (name.Length < 6 || !char.IsAsciiDigit(name[5]))
        {
            throw new InvalidDataException($"{path}: the file name must follow Sleep-EDF's SC4<subject><night>… pattern.");
        }

        using var reader = new StreamReader(path);
        string header = reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty.");
        int[] columns = MapColumns(path, header.Split(','));
        var epochs = new List<int>();
        var stages = new List<SleepStage>();
        var features = new List<float>();
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            string[] cells = line.Split(',');
            if (cells.Length < columns.Max() + 1)
            {
                throw new InvalidDataException($"{path} line {lineNumber}: {cells.Length} cells, expected {columns.Max() + 1}.");
            }

            if (!int.TryParse(cells[columns[0]], NumberStyles.Integer, CultureInfo.InvariantCulture, out int epoch) || epoch < 0 || epoch > MaxEpochIndex)
            {
                throw new InvalidDataException($"{path} line {lineNumber}: epoch '{cells[columns[0]]}' is not an integer in 0–{MaxEpochIndex}.");
            }

            if (epochs.Count > 0 && epoch <= epochs[^1])
            {
                throw new InvalidDataException($"{path} line {lineNumber}: epoch {epoch} does not follow epoch {epochs[^1]} (rows must be in time order).");
            }

            epochs.Add(epoch);
            stages.Add(ParseStage(path, lineNumber, cells[columns[1]]));
            for (int f = 0; f < FeatureCount; f++)
            {
                string cell = cells[columns[2 + f]];
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                {
                    throw new InvalidDataException($"{path} line {lineNumber}: column {2 + f} value '{cell}' is not a finite number.");
                }

                bool isMobility = f % Bands.Length == Bands.Length - 1;
                // Powers span decades: log10, floored at 1e-6 µV² so a zero cannot give −∞.
                features.Add((float)(isMobility ? value : Math.Log10(Math.Max(value, 1e-6))));
            }
        }

        return new FeatureNight(name[..5], name[5] - '0', [.. epochs], [.. stages], [.. features]);
    }

    private static int[] MapColumns(string path, string[] header)
    {
        var wanted = new List<string> { "epoch", "stage" };
        wanted.AddRange(Channels.SelectMany(c => Bands.Select(b => $"{c}_{b}")));
        return wanted.Select(column =>
        {
            int index = Array.IndexOf(header, column);
            return index >= 0 ? index : throw new InvalidDataException($"{path}: column '{column}' is missing from the header.");
        }).ToArray();
    }

    private static SleepStage ParseStage(string path, int line, string text) => text switch
    {
        "W" => SleepStage.W,
        "N1" => SleepStage.N1,
        "N2" => SleepStage.N2,
        "N3" => SleepStage.N3,
        "R" => SleepStage.R,
        _ => throw new InvalidDataException($"{path} line {line}: stage '{text}' is not one of W, N1, N2, N3, R."),
    };
}
