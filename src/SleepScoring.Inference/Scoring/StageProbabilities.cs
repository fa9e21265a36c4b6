namespace SleepScoring.Inference.Scoring;

/// <summary>Presentation of the integer Shiftmax output: probabilities summing to one, and the top class.</summary>
public static class StageProbabilities
{
    /// <summary>raw / Σraw (uniform when the row is all zero).</summary>
    public static float[] Normalise(ReadOnlySpan<int> raw)
    {
        long sum = 0;
        foreach (int v in raw)
        {
            sum += v;
        }

        var p = new float[raw.Length];
        for (int c = 0; c < raw.Length; c++)
        {
            p[c] = sum > 0 ? (float)((double)raw[c] / sum) : 1f / raw.Length;
        }

        return p;
    }

    /// <summary>Index of the largest probability (the lower index on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int c = 1; c < values.Length; c++)
        {
            if (values[c] > values[best])
            {
                best = c;
            }
        }

        return best;
    }
}
