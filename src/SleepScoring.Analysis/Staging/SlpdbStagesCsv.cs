using System.Globalization;

namespace SleepScoring.Analysis.Staging;

/// <summary>
/// The MIT-BIH Polysomnographic Database stage table: header <c>record,epoch,stage</c>, one row per
/// scored 30-s epoch, stages <c>W N1 N2 N3 R MT</c> (R&amp;K 3+4 already merged; MT → Unscored).
/// Epoch indices count from each record's start; epochs missing from the table (e.g. before the
/// first scored epoch) are Unscored. Blank lines and <c>#</c> comment lines are skipped.
/// </summary>
public static class SlpdbStagesCsv
{
    /// <summary>Reads every record's hypnogram, in the order records first appear.</summary>
    /// <exception cref="HypnogramFormatException">A bad header, epoch number, label or a repeated epoch (line named).</exception>
    public static IReadOnlyDictionary<string, Hypnogram> Read(TextReader reader, double epochSeconds = Hypnogram.StandardEpochSeconds)
    {
        var records = new Dictionary<string, Dictionary<int, SleepStage>>(StringComparer.Ordinal);
        var order = new List<string>();
        bool header = true;
        foreach ((int number, string text) in TextLines.Read(reader))
        {
            if (string.IsNullOrWhiteSpace(text) || text.TrimStart().StartsWith('#'))
            {
                continue;
            }

            string[] cells = text.Split(',');
            if (header)
            {
                if (cells.Length < 3 || !cells[0].Trim().Equals("record", StringComparison.OrdinalIgnoreCase)
                    || !cells[1].Trim().Equals("epoch", StringComparison.OrdinalIgnoreCase)
                    || !cells[2].Trim().Equals("stage", StringComparison.OrdinalIgnoreCase))
                {
                    throw new HypnogramFormatException(number, "header", text, "expected record,epoch,stage");
                }

                header = false;
                continue;
            }

            if (cells.Length != 3)
            {
                throw new HypnogramFormatException(number, "row", text, $"has {cells.Length} columns; expected 3");
            }

            string record = cells[0].Trim();
            if (!int.TryParse(cells[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int epoch) || epoch >= Hypnogram.MaxEpochs)
            {
                throw new HypnogramFormatException(number, "epoch", cells[1], $"not an epoch number between 0 and {Hypnogram.MaxEpochs - 1}");
            }

            if (!StageLabel.TryParse(cells[2], out SleepStage stage))
            {
                throw new HypnogramFormatException(number, "stage", cells[2], "not a stage (expected W, N1, N2, N3, R, MT)");
            }

            if (!records.TryGetValue(record, out Dictionary<int, SleepStage>? epochs))
            {
                records[record] = epochs = [];
                order.Add(record);
            }

            if (!epochs.TryAdd(epoch, stage))
            {
                throw new HypnogramFormatException(number, "epoch", cells[1], $"repeats an epoch of record '{record}'");
            }
        }

        if (header)
        {
            throw new HypnogramFormatException(1, "header", null, "the file is empty; expected record,epoch,stage");
        }

        var result = new Dictionary<string, Hypnogram>(StringComparer.Ordinal);
        foreach (string record in order)
        {
            Dictionary<int, SleepStage> epochs = records[record];
            var stages = new SleepStage[epochs.Keys.Max() + 1];
            Array.Fill(stages, SleepStage.Unscored);
            foreach ((int epoch, SleepStage stage) in epochs)
            {
                stages[epoch] = stage;
            }

            result[record] = new Hypnogram(stages, epochSeconds);
        }

        return result;
    }
}
