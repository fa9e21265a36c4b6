using System.Net;
using System.Net.Http.Json;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Security;

/// <summary>
/// Every endpoint against every role: allowed roles get past authorization (any status but 401/403),
/// the others get 403; no key or a revoked key gets 401. The expected table is written from the
/// issue's role model, not read from the code: technicians upload, read and correct; clinicians
/// read and correct; integrations upload and read; admins upload, read, delete and manage keys.
/// </summary>
public sealed class RoleRulesTests(ScoredSampleFixture sample) : IClassFixture<ScoredSampleFixture>
{
    private const string T = Roles.Technician, C = Roles.Clinician, I = Roles.Integration, A = Roles.Admin;

    public static TheoryData<string, string, string> Rules()
    {
        var data = new TheoryData<string, string, string>();
        void Add(string method, string path, params string[] allowed)
        {
            foreach (string role in Roles.All)
            {
                data.Add(method, path, $"{role}:{allowed.Contains(role)}");
            }
        }

        Add("POST", "/api/v1/studies", T, I, A);
        Add("GET", "/api/v1/studies", T, C, I, A);
        Add("GET", "/api/v1/studies/{id}", T, C, I, A);
        Add("DELETE", "/api/v1/studies/st_absent", A);
        Add("GET", "/api/v1/studies/{id}/hypnogram", T, C, I, A);
        Add("GET", "/api/v1/studies/{id}/hypnogram?format=csv", T, C, I, A);
        Add("GET", "/api/v1/studies/{id}/hypnogram.png", T, C, I, A);
        Add("GET", "/api/v1/studies/{id}/statistics", T, C, I, A);
        Add("GET", "/api/v1/studies/{id}/review", T, C, I, A);
        Add("GET", "/api/v1/studies/{id}/epochs/0", T, C, I, A);
        Add("GET", "/api/v1/studies/{id}/epochs/0/image.png", T, C, I, A);
        Add("GET", "/api/v1/studies/{id}/corrections", T, C, I, A);
        Add("PUT", "/api/v1/studies/{id}/epochs/0/stage", T, C);
        Add("PUT", "/api/v1/studies/{id}/stages", T, C);
        Add("GET", "/api/v1/model", T, C, I, A);
        Add("GET", "/api/v1/keys", A);
        Add("POST", "/api/v1/keys", A);
        Add("DELETE", "/api/v1/keys/key_absent", A);
        return data;
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Endpoint_IsAuthorisedByRole(string method, string path, string expectation)
    {
        (string role, bool allowed) = (expectation.Split(':')[0], bool.Parse(expectation.Split(':')[1]));
        using HttpClient client = await sample.Factory.ClientAsync(role);

        HttpResponseMessage response = await client.SendAsync(Request(method, path));

        if (allowed)
        {
            Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{role} {method} {path}: {(int)response.StatusCode}");
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("ssk_not-a-key")]
    public async Task Endpoint_WithoutAValidKey_Is401Problem(string? key)
    {
        using HttpClient client = sample.Factory.WithKey(key);

        HttpResponseMessage response = await client.GetAsync("/api/v1/studies");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task BearerAuthorization_IsAcceptedLikeTheHeader()
    {
        IssuedKeyBody key = await sample.Factory.IssueAsync(Roles.Clinician);
        using HttpClient client = sample.Factory.WithKey(null);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key.Key);

        HttpResponseMessage response = await client.GetAsync("/api/v1/studies");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/ready")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/")]
    public async Task OperationsEndpointsAndTheWebPage_NeedNoKey(string path)
    {
        using HttpClient client = sample.Factory.WithKey(null);

        HttpResponseMessage response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private HttpRequestMessage Request(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", sample.StudyId, StringComparison.Ordinal));
        request.Content = (method, path) switch
        {
            ("POST", "/api/v1/studies") => new ByteArrayContent([1, 2, 3]) { Headers = { ContentType = new("application/octet-stream") } },
            ("PUT", _) when path.EndsWith("/stage", StringComparison.Ordinal) => JsonContent.Create(new { stage = "N2", reason = "role test" }),
            ("PUT", _) => JsonContent.Create(new { corrections = new[] { new { epoch = 1, stage = "W", reason = (string?)null } } }),
            ("POST", "/api/v1/keys") => JsonContent.Create(new { name = string.Empty, role = "nobody" }),
            _ => null,
        };
        return request;
    }
}
