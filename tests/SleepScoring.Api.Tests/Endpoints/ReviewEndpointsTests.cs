using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Endpoints;

/// <summary>The review queue, undo (withdraw), sign-off with its lock, the audit, and the 403 that names the role.</summary>
public sealed class ReviewEndpointsTests : IAsyncLifetime
{
    private readonly ApiFactory factory = new();
    private HttpClient clinician = null!;
    private HttpClient technician = null!;
    private IssuedKeyBody clinicianKey = null!;
    private string study = string.Empty;

    public async Task InitializeAsync()
    {
        clinicianKey = await factory.IssueAsync(Roles.Clinician);
        clinician = factory.WithKey(clinicianKey.Key);
        technician = await factory.ClientAsync(Roles.Technician);
        study = $"/api/v1/studies/{await technician.ScoreAsync(TestStudies.Eeg(40), "?lights_off=0")}";
    }

    public Task DisposeAsync()
    {
        clinician.Dispose();
        technician.Dispose();
        factory.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Queue_IsOrderedByPriority_HoldsEveryEpochTheModelFlagged_AndPriorityIsWrongTimesImpact()
    {
        JsonElement review = await clinician.GetFromJsonAsync<JsonElement>(study + "/review");
        JsonElement scored = await clinician.GetFromJsonAsync<JsonElement>(study + "/hypnogram");

        JsonElement[] queue = [.. review.GetProperty("queue").EnumerateArray()];
        Assert.NotEmpty(queue);
        Assert.Equal(queue.Length, review.GetProperty("total").GetInt32());
        double[] priorities = [.. queue.Select(q => q.GetProperty("priority").GetDouble())];
        Assert.Equal(priorities.OrderDescending(), priorities);
        foreach (JsonElement q in queue)
        {
            Assert.Equal(q.GetProperty("wrong_probability").GetDouble() * q.GetProperty("impact_minutes").GetDouble(), q.GetProperty("priority").GetDouble(), 2);
            Assert.Equal(scored.GetProperty("epochs")[q.GetProperty("index").GetInt32()].GetProperty("stage").GetString(), q.GetProperty("model_stage").GetString());
        }

        int[] flagged = [.. scored.GetProperty("review").GetProperty("queue").EnumerateArray().Select(e => e.GetProperty("index").GetInt32())];
        Assert.Subset(queue.Select(q => q.GetProperty("index").GetInt32()).ToHashSet(), flagged.ToHashSet());
    }

    [Fact]
    public async Task Accepting_CountsAsReviewed_AndWithdrawingMakesItUnreviewedAgain()
    {
        JsonElement first = (await clinician.GetFromJsonAsync<JsonElement>(study + "/review")).GetProperty("queue")[0];
        int epoch = first.GetProperty("index").GetInt32();
        string model = first.GetProperty("model_stage").GetString()!;

        (await clinician.PutAsJsonAsync($"{study}/epochs/{epoch}/stage", new { stage = model })).EnsureSuccessStatusCode();
        JsonElement accepted = await clinician.GetFromJsonAsync<JsonElement>(study + "/review");
        HttpResponseMessage withdraw = await clinician.DeleteAsync($"{study}/epochs/{epoch}/stage");
        JsonElement withdrawn = await clinician.GetFromJsonAsync<JsonElement>(study + "/review");

        Assert.Equal(1, accepted.GetProperty("reviewed").GetInt32());
        Assert.Equal(0, accepted.GetProperty("corrected_epochs").GetInt32());
        Assert.Equal(HttpStatusCode.OK, withdraw.StatusCode);
        Assert.Equal(0, withdrawn.GetProperty("reviewed").GetInt32());
        Assert.Equal(JsonValueKind.Null, withdrawn.GetProperty("queue")[0].GetProperty("scorer_stage").ValueKind);
        JsonElement[] audit = [.. (await clinician.GetFromJsonAsync<JsonElement>(study + "/corrections")).EnumerateArray()];
        Assert.Equal(["accept", "withdraw"], audit.Select(a => a.GetProperty("action").GetString()));
        Assert.Equal(model, audit[1].GetProperty("new_stage").GetString()); // the model's stage is in force again
    }

    [Fact]
    public async Task SignOff_LocksTheHypnogram_AndTheAuditNamesWhoAndWhen()
    {
        (await clinician.PutAsJsonAsync($"{study}/epochs/3/stage", new { stage = "N3", reason = "slow waves" })).EnsureSuccessStatusCode();

        HttpResponseMessage signed = await clinician.PostAsJsonAsync(study + "/sign-off", new { statement = "reviewed in full" });
        HttpResponseMessage locked = await technician.PutAsJsonAsync($"{study}/epochs/4/stage", new { stage = "W" });
        HttpResponseMessage undo = await clinician.DeleteAsync($"{study}/epochs/3/stage");
        HttpResponseMessage again = await clinician.PostAsJsonAsync(study + "/sign-off", new { });

        Assert.Equal(HttpStatusCode.Created, signed.StatusCode);
        JsonElement signOff = await signed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(clinicianKey.Id, signOff.GetProperty("signed_by").GetString());
        Assert.Equal("test clinician", signOff.GetProperty("signed_by_name").GetString());
        Assert.Equal(1, signOff.GetProperty("corrected_epochs").GetInt32());
        Assert.True(DateTime.UtcNow - signOff.GetProperty("signed_at").GetDateTime().ToUniversalTime() < TimeSpan.FromMinutes(5));
        foreach (HttpResponseMessage refused in new[] { locked, undo })
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            JsonElement problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.EndsWith("/locked", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
            Assert.Contains("test clinician", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        JsonElement[] audit = [.. (await technician.GetFromJsonAsync<JsonElement>(study + "/audit")).EnumerateArray()];
        Assert.Equal(["correct", "sign_off"], audit.Select(a => a.GetProperty("action").GetString()));
        Assert.Equal(clinicianKey.Id, audit[1].GetProperty("by").GetString());
        Assert.Equal("reviewed in full", audit[1].GetProperty("reason").GetString());
        JsonElement listed = await technician.GetFromJsonAsync<JsonElement>(study);
        Assert.Equal(clinicianKey.Id, listed.GetProperty("review").GetProperty("signed_off").GetProperty("by").GetString());
        Assert.Equal(1, (await technician.GetFromJsonAsync<JsonElement>("/api/v1/studies?signed=true")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await technician.GetFromJsonAsync<JsonElement>("/api/v1/studies?signed=false")).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData(Roles.Technician, "POST", "/sign-off", "clinician")]
    [InlineData(Roles.Admin, "PUT", "/epochs/0/stage", "technician or clinician")]
    [InlineData(Roles.Integration, "DELETE", "/epochs/0/stage", "technician or clinician")]
    public async Task Forbidden_SaysWhichRoleTheActionNeeds(string role, string method, string path, string needed)
    {
        using HttpClient client = role == Roles.Admin ? factory.Admin() : await factory.ClientAsync(role);
        // Authorization runs before the study-access filter: the role decides, whoever uploaded the study.
        using var request = new HttpRequestMessage(new HttpMethod(method), study + path) { Content = JsonContent.Create(new { stage = "W" }) };
        HttpResponseMessage response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains($"needs a key with role {needed}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(role, problem.GetProperty("role").GetString());
    }

    [Fact]
    public async Task SignOff_OfAnUnknownStudy_Is404_AndAnUnsignedStudyHasNone()
    {
        HttpResponseMessage unknown = await clinician.PostAsJsonAsync("/api/v1/studies/st_nope/sign-off", new { });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await clinician.GetAsync(study + "/sign-off")).StatusCode);
    }
}
