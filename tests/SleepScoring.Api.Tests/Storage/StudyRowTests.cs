using SleepScoring.Api.Domain;
using SleepScoring.Api.Storage;

namespace SleepScoring.Api.Tests.Storage;

/// <summary>The one place a stored study row becomes a <see cref="Study"/>, and back.</summary>
public sealed class StudyRowTests
{
    [Fact]
    public void ARow_BecomesAStudy_WithTypedStatusTimesAndLists()
    {
        Study study = new StudyRow
        {
            Id = "st_1",
            Sha256 = "ab",
            Status = "scored",
            UploadedAt = "2026-12-05T03:40:08.1234567Z",
            UploadedBy = "key_1",
            ChannelMappings = """["EEG C3-A2=Fpz-Cz"]""",
            EdfWarnings = """["W1: short record"]""",
            ScoringWarnings = """["low confidence"]""",
            StartTime = "2001-02-03T04:05:06.0000000Z",
            ScoredAt = "2026-12-05T04:00:00.0000000Z",
            Derivations = """[{"name":"Fpz-Cz","role":"eeg","source":"EEG Fpz-Cz","how_found":"label"}]""",
            ReviewThreshold = 0.7,
            SignedBy = "key_2",
            SignedByName = "Dr A",
            SignedAt = "2026-12-05T05:00:00.0000000Z",
        }.ToStudy();

        Assert.Equal(StudyStatus.Scored, study.Status);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 3, 40, 8, TimeSpan.Zero).AddTicks(1234567), study.UploadedAt);
        Assert.Equal(new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero), study.StartTime);
        Assert.Equal(["EEG C3-A2=Fpz-Cz"], study.ChannelMappings);
        Assert.Equal(["W1: short record", "low confidence"], study.Warnings);
        Assert.Equal("EEG Fpz-Cz", Assert.Single(study.Derivations!).Source);
        Assert.Equal(new StudySignOff("key_2", "Dr A", new DateTimeOffset(2026, 12, 5, 5, 0, 0, TimeSpan.Zero)), study.SignedOff);
        Assert.Null(study.Error);
    }

    [Fact]
    public void WhatAnOlderRowMayHold_IsUnknown_NotAnError()
    {
        Study study = new StudyRow
        {
            Id = "st_1",
            Sha256 = "ab",
            Status = "failed",
            UploadedAt = "not a time",
            UploadedBy = "key_1",
            ChannelMappings = "not json",
            DurationSeconds = double.PositiveInfinity,
            LightsOn = double.NegativeInfinity,
            Derivations = "{",
            ErrorType = "edf-format",
        }.ToStudy();

        Assert.Empty(study.ChannelMappings);
        Assert.Null(study.DurationSeconds);
        Assert.Null(study.LightsOn);
        Assert.Null(study.Derivations);
        Assert.Equal(DateTimeOffset.UnixEpoch, study.UploadedAt);
        Assert.Equal(new StudyError("edf-format", null), study.Error);
    }

    [Theory]
    [InlineData("cancelled")] // a status of a newer version
    [InlineData("Scored")] // stored text is exact
    [InlineData("")]
    public void AnUnknownStatus_IsAnErrorNamingTheStudyAndTheValue(string status)
    {
        var row = new StudyRow { Id = "st_9", Sha256 = "ab", Status = status, UploadedAt = "2026-12-05T03:40:08Z", UploadedBy = "key_1" };

        StoredStudyException e = Assert.Throws<StoredStudyException>(() => row.ToStudy());

        Assert.Equal("st_9", e.StudyId);
        Assert.Equal("status", e.Column);
        Assert.Contains($"'{status}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("queued, scoring, scored, failed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANewStudy_IsStoredAsTheRowTextTheSchemaExpects()
    {
        var study = new Study
        {
            Id = "st_2",
            Sha256 = "cd",
            Status = StudyStatus.Queued,
            UploadedAt = new DateTimeOffset(2026, 12, 5, 4, 40, 8, TimeSpan.FromHours(1)),
            UploadedBy = "key_1",
            ChannelMappings = ["A=Fpz-Cz"],
            StartTime = new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero),
        };

        StudyRow row = StudyRow.From(study);

        Assert.Equal("queued", row.Status);
        Assert.Equal("2026-12-05T03:40:08.0000000Z", row.UploadedAt); // UTC, sortable as text
        Assert.Equal("2001-02-03T04:05:06.0000000Z", row.StartTime);
        Assert.Equal("""["A=Fpz-Cz"]""", row.ChannelMappings);
        Assert.Equal("[]", row.EdfWarnings);
        Study back = row.ToStudy();
        Assert.Equal((study.Status, study.UploadedAt, study.StartTime), (back.Status, back.UploadedAt, back.StartTime));
        Assert.Equal(study.ChannelMappings, back.ChannelMappings);
    }
}
