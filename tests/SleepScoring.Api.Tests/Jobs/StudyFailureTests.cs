using System.Net.Http.Json;
using System.Text.Json;

using SleepScoring.Analysis.Conditioning;
using SleepScoring.Api.Jobs;
using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Jobs;

/// <summary>
/// A failed study's <c>error.type</c> is a stable code, and only the study's own typed errors fail it at
/// once: a bad upload and a fault of the code no longer look the same.
/// </summary>
public sealed class StudyFailureTests
{
    [Fact]
    public async Task AnEdfDamagedAfterUpload_FailsAtTheFirstAttempt_AsEdfFormat()
    {
        // The upload is checked whole; a file damaged on the volume afterwards meets the reader in the worker.
        ApiFactory? created = null;
        using ApiFactory factory = created = new ApiFactory(services: ScriptedEngineFactory.Install((_, _) =>
        {
            string stored = Directory.GetFiles(created!.DataDirectory, "study.edf", SearchOption.AllDirectories).Single();
            File.WriteAllBytes(stored, TestStudies.Patch(File.ReadAllBytes(stored), 252, 4, "x")); // the number of signals
        }));
        using HttpClient client = await factory.ClientAsync(Roles.Technician);

        string id = await client.UploadStudyAsync(TestStudies.Eeg(2, seed: 46));
        JsonElement error = (await client.WaitForAsync(id, "failed")).GetProperty("error");

        Assert.Equal("edf-format", error.GetProperty("type").GetString());
        Assert.Equal(1, await StoreQueries.CountAsync(factory, $"SELECT attempts FROM jobs WHERE study_id = '{id}'"));
        Assert.Equal("edf-format", await StoreQueries.ScalarAsync<string>(factory.DataDirectory, $"SELECT error_type FROM studies WHERE id = '{id}'"));
    }

    [Fact]
    public async Task ALightsPeriodTheScorerRejects_FailsAtTheFirstAttempt_AsScoringInput_NamingTheValues()
    {
        // The lights check is the scorer's own (LightsPeriod.Create), thrown in the run as the worker meets it.
        using var factory = new ApiFactory(services: ScriptedEngineFactory.Install((_, _) => LightsPeriod.Create(120, 60)));
        using HttpClient client = await factory.ClientAsync(Roles.Technician);

        string id = await client.UploadStudyAsync(TestStudies.Eeg(2, seed: 47));
        JsonElement error = (await client.WaitForAsync(id, "failed")).GetProperty("error");

        Assert.Equal("scoring-input", error.GetProperty("type").GetString());
        Assert.Contains("Lights-off (120 s)", error.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await StoreQueries.CountAsync(factory, $"SELECT attempts FROM jobs WHERE study_id = '{id}'"));
    }

    [Fact]
    public async Task APlainInvalidOperationException_IsAFaultOfTheCode_RetriedToTheLimit_ThenInternal()
    {
        using var factory = new ApiFactory(
            overrides: new Dictionary<string, string> { ["Scoring:MaxAttempts"] = "3" },
            services: ScriptedEngineFactory.Install((run, _) => throw new InvalidOperationException($"a bug, run {run}")));
        using HttpClient client = await factory.ClientAsync(Roles.Technician);

        string id = await client.UploadStudyAsync(TestStudies.Eeg(2, seed: 48));
        JsonElement error = (await client.WaitForAsync(id, "failed")).GetProperty("error");

        Assert.Equal("internal", error.GetProperty("type").GetString());
        Assert.Equal("gave up after 3 attempts: internal error of the service", error.GetProperty("detail").GetString());
        Assert.Equal(3, await StoreQueries.CountAsync(factory, $"SELECT attempts FROM jobs WHERE study_id = '{id}'"));
    }

    [Theory]
    [MemberData(nameof(Causes))]
    public void EachCause_HasItsCode_AndOnlyTheStudysOwnErrorsArePermanent(Exception cause, string code, bool permanent)
    {
        StudyFailure failure = StudyFailure.Of(cause, "/data");

        Assert.Equal((code, permanent), (failure.Code, failure.Permanent));
    }

    public static TheoryData<Exception, string, bool> Causes() => new()
    {
        { new SleepScoring.Edf.EdfFormatException("number of signals", 252, "x", "is not a whole number"), "edf-format", true },
        { new SleepScoring.Analysis.Montage.MontageException("no EEG"), "montage", true },
        { new StudyTooShortException(10), "duration", true },
        { new SleepScoring.Analysis.ScoringInputException("Lights-on (9000 s) …", "lightsOn"), "scoring-input", true },
        { new IOException("disk"), "storage", false },
        { new UnauthorizedAccessException("denied"), "storage", false },
        { new Microsoft.Data.Sqlite.SqliteException("locked", 5), "database", false },
        { new OutOfMemoryException(), "out-of-memory", false },
        { new ArgumentException("a bug"), "internal", false },
        { new InvalidOperationException("a bug"), "internal", false },
        { new NullReferenceException(), "internal", false },
    };

    [Fact]
    public void NoCode_IsTheNameOfAnExceptionType()
    {
        // Any exception type the service can meet: those of its own and of every assembly it has loaded.
        _ = typeof(ScoringWorker).Assembly.GetReferencedAssemblies().Select(System.Reflection.Assembly.Load).ToList();
        HashSet<string> names = [.. AppDomain.CurrentDomain.GetAssemblies()
            .SelectMany(a => a.GetTypes())
            .Where(t => typeof(Exception).IsAssignableFrom(t))
            .Select(t => t.Name)];

        Assert.Contains(nameof(InvalidOperationException), names); // the scan found the runtime's exception types
        Assert.Contains(nameof(SleepScoring.Edf.EdfFormatException), names);
        Assert.All(SleepScoring.Api.Domain.StudyFailureCode.All, code =>
        {
            Assert.Matches("^[a-z]+(-[a-z]+)*$", code); // lower-case words: no type name has that form
            Assert.DoesNotContain(names, n => string.Equals(n, code, StringComparison.OrdinalIgnoreCase));
        });
    }
}
