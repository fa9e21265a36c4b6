using SleepScoring.Analysis;
using SleepScoring.Training.Metrics;

namespace SleepScoring.Training.Tests.Metrics;

public sealed class StagingMetricsTests
{
    // Rows = truth W, N1, N2, N3, R; 50 epochs. Worked by hand in the comments below.
    private static readonly long[][] Example =
    [
        [8, 1, 1, 0, 0],
        [1, 2, 2, 0, 0],
        [0, 1, 15, 2, 2],
        [0, 0, 1, 4, 0],
        [0, 1, 1, 0, 8],
    ];

    [Fact]
    public void From_HandExample_MatchesHandComputedValues()
    {
        StagingMetrics metrics = StagingMetrics.From(Build(Example));

        // Diagonal 8+2+15+4+8 = 37 of 50.
        Assert.Equal(0.74, metrics.Accuracy, 12);
        // Row sums 10,5,20,5,10; column sums 9,5,20,6,10 → p_e = 645/2500 = 0.258;
        // κ = (0.74 − 0.258) / (1 − 0.258) = 0.482 / 0.742.
        Assert.Equal(0.482 / 0.742, metrics.Kappa, 12);
        // F1 = 2TP / (row + column): W 16/19, N1 4/10, N2 30/40, N3 8/11, R 16/20.
        Assert.Equal(16.0 / 19, metrics.PerClassF1["W"], 12);
        Assert.Equal(0.4, metrics.PerClassF1["N1"], 12);
        Assert.Equal(0.75, metrics.PerClassF1["N2"], 12);
        Assert.Equal(8.0 / 11, metrics.PerClassF1["N3"], 12);
        Assert.Equal(0.8, metrics.PerClassF1["R"], 12);
        Assert.Equal(((16.0 / 19) + 0.4 + 0.75 + (8.0 / 11) + 0.8) / 5, metrics.MacroF1, 12);
        Assert.Equal(50, metrics.Epochs);
        Assert.Equal(Example, metrics.Confusion);
    }

    [Fact]
    public void From_AbsentClass_IsLeftOutOfMacroF1()
    {
        // No N3 anywhere; W, N1, N2, R perfect except one N1 scored as W.
        long[][] rows =
        [
            [3, 0, 0, 0, 0],
            [1, 1, 0, 0, 0],
            [0, 0, 4, 0, 0],
            [0, 0, 0, 0, 0],
            [0, 0, 0, 0, 2],
        ];
        StagingMetrics metrics = StagingMetrics.From(Build(rows));

        // W: 6/(3+4) = 6/7; N1: 2/(2+1) = 2/3; N2 and R: 1. Mean over the 4 present classes.
        Assert.Equal(((6.0 / 7) + (2.0 / 3) + 1 + 1) / 4, metrics.MacroF1, 12);
        Assert.Equal(0, metrics.PerClassF1["N3"]);
        // 10 of 11 epochs agree.
        Assert.Equal(10.0 / 11, metrics.Accuracy, 12);
    }

    [Fact]
    public void From_PerfectAgreement_KappaIsOne()
    {
        var matrix = new ConfusionMatrix();
        foreach (SleepStage stage in new[] { SleepStage.W, SleepStage.N2, SleepStage.R, SleepStage.N2 })
        {
            matrix.Add(stage, stage);
        }

        StagingMetrics metrics = StagingMetrics.From(matrix);
        Assert.Equal(1.0, metrics.Kappa, 12);
        Assert.Equal(1.0, metrics.MacroF1, 12);
    }

    [Fact]
    public void Add_UnscoredStage_Throws()
    {
        var matrix = new ConfusionMatrix();
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Add(SleepStage.Unscored, SleepStage.W));
    }

    [Fact]
    public void From_Empty_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => StagingMetrics.From(new ConfusionMatrix()));

    [Fact]
    public void Add_Matrix_PoolsCounts()
    {
        ConfusionMatrix pooled = Build(Example);
        pooled.Add(Build(Example));
        Assert.Equal(100, pooled.Total);
        Assert.Equal(30, pooled[SleepStage.N2, SleepStage.N2]);
    }

    [Fact]
    public void Serialize_UsesTheReportKeys()
    {
        string json = System.Text.Json.JsonSerializer.Serialize(StagingMetrics.From(Build(Example)));
        using var document = System.Text.Json.JsonDocument.Parse(json);
        System.Text.Json.JsonElement root = document.RootElement;

        Assert.Equal(["accuracy", "kappa", "macro_f1", "per_class_f1", "confusion", "epochs"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["W", "N1", "N2", "N3", "R"], root.GetProperty("per_class_f1").EnumerateObject().Select(p => p.Name));
        Assert.Equal(15, root.GetProperty("confusion")[2][2].GetInt64());
        Assert.Equal(50, root.GetProperty("epochs").GetInt64());
    }

    private static ConfusionMatrix Build(long[][] rows)
    {
        var matrix = new ConfusionMatrix();
        for (int t = 0; t < rows.Length; t++)
        {
            for (int p = 0; p < rows[t].Length; p++)
            {
                for (long i = 0; i < rows[t][p]; i++)
                {
                    matrix.Add((SleepStage)t, (SleepStage)p);
                }
            }
        }

        return matrix;
    }
}
