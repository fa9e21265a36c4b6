using SleepScoring.Analysis;
using SleepScoring.Rendering.Geometry;

namespace SleepScoring.Rendering.Hypnogram;

/// <summary>
/// Where everything lies on a hypnogram plot: epochs spread evenly over the plot width, one
/// hypnogram panel (plus one for corrections) with five stage rows in clinical order (W, R, N1,
/// N2, N3 top to bottom), then an optional hypnodensity panel, then the time axis.
/// </summary>
public sealed class HypnogramPlotLayout
{
    /// <summary>Pixels between two stage rows.</summary>
    public const int RowPitch = 28;

    private const int LeftMargin = 64;
    private const int RightMargin = 24;
    private const int TitleHeight = 26;
    private const int PanelGap = 12;
    private const int DensityHeight = 110;
    private const int AxisHeight = 44;

    /// <summary>Lays out a plot of <paramref name="width"/> pixels for <paramref name="epochCount"/> epochs.</summary>
    public HypnogramPlotLayout(int epochCount, int width, bool withCorrections, bool withDensity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, LeftMargin + RightMargin + 100);
        EpochCount = epochCount;
        Width = width;
        int panelHeight = StagePalette.DisplayOrder.Count * RowPitch;
        int y = 0;
        var panels = new List<PixelRectangle>();
        for (int i = 0; i < (withCorrections ? 2 : 1); i++)
        {
            y += TitleHeight;
            panels.Add(new PixelRectangle(LeftMargin, y, width - RightMargin, y + panelHeight));
            y += panelHeight + PanelGap;
        }

        HypnogramPanels = panels;
        if (withDensity)
        {
            y += TitleHeight;
            DensityPanel = new PixelRectangle(LeftMargin, y, width - RightMargin, y + DensityHeight);
            y += DensityHeight + PanelGap;
        }

        Height = y + AxisHeight - PanelGap;
    }

    /// <summary>Number of epochs on the time axis.</summary>
    public int EpochCount { get; }

    /// <summary>Image width.</summary>
    public int Width { get; }

    /// <summary>Image height.</summary>
    public int Height { get; }

    /// <summary>The hypnogram panels: the stages, then the corrections when given.</summary>
    public IReadOnlyList<PixelRectangle> HypnogramPanels { get; }

    /// <summary>The hypnodensity panel, when probabilities are drawn.</summary>
    public PixelRectangle? DensityPanel { get; }

    /// <summary>Bottom edge of the lowest panel: the time axis starts here.</summary>
    public float AxisTop => DensityPanel?.Bottom ?? HypnogramPanels[^1].Bottom;

    /// <summary>x of the left edge of epoch <paramref name="epoch"/> (EpochCount marks the right end).</summary>
    public float EpochLeft(int epoch) => LeftMargin + ((float)epoch * (Width - LeftMargin - RightMargin) / EpochCount);

    /// <summary>x of the middle of epoch <paramref name="epoch"/>.</summary>
    public float EpochCentre(int epoch) => (EpochLeft(epoch) + EpochLeft(epoch + 1)) / 2f;

    /// <summary>y of <paramref name="stage"/>'s row in panel <paramref name="panel"/>: W on top, N3 at the bottom.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The stage is not one of the five scored stages.</exception>
    public float StageY(int panel, SleepStage stage)
    {
        int row = StagePalette.DisplayRow(stage);
        if (row < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stage), stage, "Only W, R, N1, N2 and N3 have a row.");
        }

        return HypnogramPanels[panel].Top + ((row + 0.5f) * RowPitch);
    }
}
