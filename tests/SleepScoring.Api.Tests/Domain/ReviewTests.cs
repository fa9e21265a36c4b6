using SleepScoring.Api.Domain;

namespace SleepScoring.Api.Tests.Domain;

public sealed class ReviewTests
{
    /// <summary>The words of the <c>stage_corrections.action</c> column (schemas/sql/0010_workstation.sql) and of the API's audit.</summary>
    [Fact]
    public void EachCorrectionAction_HasTheTextTheDatabaseAndTheApiUse()
    {
        Assert.Equal(["correct", "accept", "withdraw"], Enum.GetValues<CorrectionAction>().Select(a => a.ToText()));
        foreach (CorrectionAction action in Enum.GetValues<CorrectionAction>())
        {
            Assert.True(CorrectionActionText.TryParse(action.ToText(), out CorrectionAction back));
            Assert.Equal(action, back);
        }

        Assert.False(CorrectionActionText.TryParse("sign_off", out _));
    }
}
