using SleepScoring.Api.Domain;

namespace SleepScoring.Api.Tests.Domain;

public sealed class StudyStatusTests
{
    /// <summary>The words of the <c>studies.status</c> CHECK constraint (schemas/sql/0001_initial.sql) and of the API.</summary>
    [Fact]
    public void EachStatus_HasTheTextTheDatabaseAndTheApiUse()
    {
        Assert.Equal(["queued", "scoring", "scored", "failed"], StudyStatusText.All);
        foreach (StudyStatus status in Enum.GetValues<StudyStatus>())
        {
            Assert.True(StudyStatusText.TryParse(status.ToText(), out StudyStatus back));
            Assert.Equal(status, back);
        }
    }
}
