using System.Globalization;

using SleepScoring.Analysis;
using SleepScoring.Analysis.Signals;
using SleepScoring.Analysis.Staging;

namespace SleepScoring.Synthesis;

/// <summary>
/// Reads a Sleep-EDF feature table (see the data README): <c>epoch,stage</c> then for
/// <c>fpz_cz</c> and <c>pz_oz</c> five <c>_psd_&lt;band&gt;_&lt;lo&gt;_&lt;hi&gt;</c> columns,
/// <c>_variance</c> and <c>_hjorth_mobility</c>. Columns are found by name, not position.
/// </summary>
public static class FeatureTableReader
{
    private static readonly string[] Channels = ["fpz_cz", "pz_oz"];

    /// <summary>Reads <paramref name="path"/>; the night is named after the file.</summary>
    /// <exception cref="FeatureTableException">A header, value or ordering problem (line and column named).</exception>
    public static NightFeatures Read(string path)
    {
        using StreamReader reader = new(path);
        return Read(reader, Path.GetFileNameWithoutExtension(path));
    }

    /// <summary>Reads a table from <paramref name="reader"/>.</summary>
    /// <exception cref="FeatureTableException">A header, value or ordering problem (line and column named).</exception>
    public static NightFeatures Read(TextReader reader, string name)
    {
        string header = reader.ReadLine() ?? throw new FeatureTableException("The feature table is empty (no header line).");
        string[] columns = header.Split(',');
        int epochColumn = Find(columns, "epoch");
        int stageColumn = Find(columns, "stage");
        int[][] featureColumns = [.. Channels.Select(channel => FeatureColumns(columns, channel))];

        List<FeatureRow> rows = [];
        double[] values = new double[7];
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            string[] cells = line.Split(',');
            if (cells.Length != columns.Length)
            {
                throw new FeatureTableException($"Line {lineNumber}: {cells.Length} cells, the header has {columns.Length}.");
            }

            int epoch = int.TryParse(cells[epochColumn], NumberStyles.Integer, CultureInfo.InvariantCulture, out int e) && e >= 0 && e < Hypnogram.MaxEpochs
                ? e
                : throw new FeatureTableException($"Line {lineNumber}, column 'epoch': '{cells[epochColumn]}' is not an epoch number from 0 to {Hypnogram.MaxEpochs - 1}.");
            if (rows.Count > 0 && epoch <= rows[^1].Epoch)
            {
                throw new FeatureTableException($"Line {lineNumber}: epoch {epoch} does not follow epoch {rows[^1].Epoch} (rows must be in time order).");
            }

            SleepStage stage = ParseStage(cells[stageColumn], lineNumber);
            EpochFeatures[] features = new EpochFeatures[Channels.Length];
            for (int c = 0; c < Channels.Length; c++)
            {
                for (int i = 0; i < values.Length; i++)
                {
                    int column = featureColumns[c][i];
                    values[i] = double.TryParse(cells[column], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && v > 0
                        ? v
                        : throw new FeatureTableException($"Line {lineNumber}, column '{columns[column]}': '{cells[column]}' is not a positive number.");
                }

                features[c] = EpochFeatures.FromBands(values.AsSpan(0, 5), values[5], values[6]);
            }

            rows.Add(new FeatureRow(epoch, stage, features[0], features[1]));
        }

        return new NightFeatures(name, rows);
    }

    private static SleepStage ParseStage(string text, int line) => text switch
    {
        "W" => SleepStage.W,
        "N1" => SleepStage.N1,
        "N2" => SleepStage.N2,
        "N3" => SleepStage.N3,
        "R" => SleepStage.R,
        _ => throw new FeatureTableException($"Line {line}, column 'stage': '{text}' is not one of W, N1, N2, N3, R."),
    };

    private static int[] FeatureColumns(string[] columns, string channel)
    {
        int[] result = new int[7];
        for (int b = 0; b < EpochFeatures.BandCount; b++)
        {
            string prefix = $"{channel}_psd_{FrequencyBand.EegBands[b].Name}_";
            result[b] = Array.FindIndex(columns, c => c.StartsWith(prefix, StringComparison.Ordinal));
            if (result[b] < 0)
            {
                throw new FeatureTableException($"Header: no column starting with '{prefix}'.");
            }
        }

        result[5] = Find(columns, $"{channel}_variance");
        result[6] = Find(columns, $"{channel}_hjorth_mobility");
        return result;
    }

    private static int Find(string[] columns, string name)
    {
        int index = Array.IndexOf(columns, name);
        return index >= 0 ? index : throw new FeatureTableException($"Header: column '{name}' is missing.");
    }
}
