using SleepScoring.Analysis;
using SleepScoring.Synthesis;
using SleepScoring.Tests.Common;

namespace SleepScoring.Synthesis.Tests;

public sealed class FeatureTableReaderTests
{
    internal const string Header =
        "epoch,stage,fpz_cz_psd_delta_0.5_4,fpz_cz_psd_theta_4_8,fpz_cz_psd_alpha_8_13,fpz_cz_psd_beta_13_30,fpz_cz_psd_gamma_30_50,fpz_cz_variance,fpz_cz_hjorth_mobility," +
        "pz_oz_psd_delta_0.5_4,pz_oz_psd_theta_4_8,pz_oz_psd_alpha_8_13,pz_oz_psd_beta_13_30,pz_oz_psd_gamma_30_50,pz_oz_variance,pz_oz_hjorth_mobility";

    [Fact]
    public void Read_RowsOfTheDocumentedLayout_GiveFeaturesByName()
    {
        // The first row of SC4001E0.csv, copied by hand.
        string csv = Header + "\n0,W,171.924,22.546,1.77766,0.619058,0.632717,1322.24,0.23928,6.0919,1.24863,0.731148,0.170802,0.107489,52.815,0.298192\n";
        NightFeatures night = FeatureTableReader.Read(new StringReader(csv), "SC4001E0");

        FeatureRow row = Assert.Single(night.Rows);
        Assert.Equal(SleepStage.W, row.Stage);
        Assert.Equal(171.924, row.FpzCz.Delta);
        Assert.Equal(0.632717, row.FpzCz.Gamma);
        Assert.Equal(52.815, row.PzOz.Variance);
        Assert.Equal(0.298192, row.PzOz.Mobility);
        Assert.Equal(1, night.EpochSpan);
    }

    [Theory]
    [InlineData("0,W,x,1,1,1,1,1,0.5,1,1,1,1,1,1,0.5", "Line 2, column 'fpz_cz_psd_delta_0.5_4': 'x'")]
    [InlineData("0,S3,1,1,1,1,1,1,0.5,1,1,1,1,1,1,0.5", "Line 2, column 'stage': 'S3'")]
    [InlineData("-1,W,1,1,1,1,1,1,0.5,1,1,1,1,1,1,0.5", "Line 2, column 'epoch'")]
    [InlineData("2147483647,W,1,1,1,1,1,1,0.5,1,1,1,1,1,1,0.5", "from 0 to 99999")]
    [InlineData("0,W,1,1,1,1,1,1,0.5,1,1,1,1,1,1", "Line 2: 15 cells")]
    [InlineData("0,W,1,1,1,1,-2,1,0.5,1,1,1,1,1,1,0.5", "fpz_cz_psd_gamma_30_50")]
    public void Read_BadCell_NamesLineAndColumn(string row, string expected)
    {
        FeatureTableException e = Assert.Throws<FeatureTableException>(() => FeatureTableReader.Read(new StringReader(Header + "\n" + row), "x"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EpochsOutOfOrder_AreRejected()
    {
        string csv = Header + "\n5,W,1,1,1,1,1,1,0.5,1,1,1,1,1,1,0.5\n5,W,1,1,1,1,1,1,0.5,1,1,1,1,1,1,0.5";
        FeatureTableException e = Assert.Throws<FeatureTableException>(() => FeatureTableReader.Read(new StringReader(csv), "x"));
        Assert.Contains("Line 3: epoch 5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingColumn_IsNamed()
    {
        FeatureTableException e = Assert.Throws<FeatureTableException>(() => FeatureTableReader.Read(new StringReader("epoch,stage\n"), "x"));
        Assert.Contains("fpz_cz_psd_delta_", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Read_RealTable_HasEveryRow()
    {
        // `wc -l SC4011E0.csv` = 952 (header + 951 rows); last line starts with epoch 950 (`tail -1`).
        NightFeatures night = FeatureTableReader.Read(SharedData.Require("sleep-edf-features/SC4011E0.csv"));
        Assert.Equal(951, night.Rows.Count);
        Assert.Equal(950, night.Rows[^1].Epoch);
        Assert.Equal("SC4011E0", night.Name);
    }
}
