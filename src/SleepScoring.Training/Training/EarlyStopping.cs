namespace SleepScoring.Training.Training;

/// <summary>
/// Stops when the monitored validation score (macro-F1, ties broken by κ) has not improved for
/// <see cref="Patience"/> consecutive evaluations; remembers the best evaluation.
/// </summary>
public sealed class EarlyStopping
{
    /// <summary>Creates a monitor with the given patience (≥ 1).</summary>
    public EarlyStopping(int patience)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patience);
        Patience = patience;
    }

    /// <summary>Evaluations without improvement tolerated.</summary>
    public int Patience { get; }

    /// <summary>Best macro-F1 so far (−∞ before the first report).</summary>
    public double BestMacroF1 { get; private set; } = double.NegativeInfinity;

    /// <summary>κ at the best evaluation.</summary>
    public double BestKappa { get; private set; } = double.NegativeInfinity;

    /// <summary>Pass index of the best evaluation (−1 before the first report).</summary>
    public int BestPass { get; private set; } = -1;

    /// <summary>Evaluations since the best one.</summary>
    public int Stale { get; private set; }

    /// <summary>True once patience is exhausted.</summary>
    public bool ShouldStop => Stale >= Patience;

    /// <summary>Records an evaluation; returns true when it is the new best.</summary>
    public bool Report(int pass, double macroF1, double kappa)
    {
        bool better = macroF1 > BestMacroF1 || (macroF1 == BestMacroF1 && kappa > BestKappa);
        if (better)
        {
            BestMacroF1 = macroF1;
            BestKappa = kappa;
            BestPass = pass;
            Stale = 0;
        }
        else
        {
            Stale++;
        }

        return better;
    }

    /// <summary>Restores a saved state (checkpoint resume).</summary>
    public void Restore(double bestMacroF1, double bestKappa, int bestPass, int stale)
    {
        BestMacroF1 = bestMacroF1;
        BestKappa = bestKappa;
        BestPass = bestPass;
        Stale = stale;
    }
}
