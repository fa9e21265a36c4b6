using SleepScoring.Inference.Sensing;

namespace SleepScoring.Inference.Tests.Sensing;

public sealed class SensingObjectiveTests
{
    private static readonly SensingObjective Objective = new([0.2, 0.1, 0.4, 0.1, 0.2], 2.0);

    [Fact]
    public void Certain_epochs_in_the_prior_proportions_score_zero()
    {
        // Ten one-hot epochs: 2 W, 1 N1, 4 N2, 1 N3, 2 R — entropy 0, shares equal to the prior.
        int[] stages = [0, 0, 1, 2, 2, 2, 2, 3, 4, 4];
        float[] probabilities = OneHot(stages);

        SensingScore score = Objective.Score(probabilities, 5);

        Assert.Equal(0, score.Entropy, 9);
        Assert.Equal(0, score.PriorDivergence, 9);
        Assert.Equal(0, score.Value, 9);
        Assert.Equal([0.2, 0.1, 0.4, 0.1, 0.2], score.StageShares.Select(s => Math.Round(s, 9)));
    }

    [Fact]
    public void Everything_in_one_stage_is_penalised_by_the_prior_not_by_the_entropy()
    {
        float[] probabilities = OneHot([3, 3, 3, 3]);

        SensingScore score = Objective.Score(probabilities, 5);

        // Shares (1, and the floor 0.001 for the rest) against the prior: 1·ln(1/0.1) + 4 · 0.001·ln(0.001/p).
        double expected = Math.Log(10) + (0.001 * (Math.Log(0.001 / 0.2) + Math.Log(0.001 / 0.1) + Math.Log(0.001 / 0.4) + Math.Log(0.001 / 0.2)));
        Assert.Equal(0, score.Entropy, 9);
        Assert.Equal(expected, score.PriorDivergence, 6);
        Assert.Equal(2 * expected, score.Value, 6);
    }

    [Fact]
    public void Uniform_probabilities_have_the_entropy_ln5()
    {
        float[] probabilities = Enumerable.Repeat(0.2f, 15).ToArray();

        SensingScore score = Objective.Score(probabilities, 5);

        Assert.Equal(Math.Log(5), score.Entropy, 5);
    }

    [Fact]
    public void Rows_of_another_width_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Objective.Score(new float[12], 4));
        Assert.Throws<ArgumentException>(() => Objective.Score(new float[7], 5));
        Assert.Throws<ArgumentException>(() => Objective.Score([], 5));
    }

    private static float[] OneHot(int[] stages)
    {
        float[] p = new float[stages.Length * 5];
        for (int i = 0; i < stages.Length; i++)
        {
            p[(i * 5) + stages[i]] = 1;
        }

        return p;
    }
}
