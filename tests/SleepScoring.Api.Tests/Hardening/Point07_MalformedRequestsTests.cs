using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.Tests.Hardening;

/// <summary>
/// Issue 13, point 7: multipart bodies that end early and <c>{"corrections":[null]}</c> answered
/// 500. Every malformed request is a 4xx problem+json, and leaves nothing on disk.
/// </summary>
public sealed class Point07_MalformedRequestsTests : IDisposable
{
    private const string Boundary = "b0undary";

    private readonly ApiFactory factory = new(withModel: false);

    public void Dispose() => factory.Dispose();

    public static TheoryData<string, string> MultipartBodies()
    {
        string edfStart = Encoding.Latin1.GetString(TestStudies.Eeg(2, seed: 107)[..1200]);
        string part = $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"n.edf\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        return new TheoryData<string, string>
        {
            { "empty body", string.Empty },
            { "only the first boundary", $"--{Boundary}\r\n" },
            { "headers of a part, no content", part },
            { "cut mid-file", part + edfStart },
            { "file without the closing boundary", part + edfStart + "\r\n" },
            { "field without the closing boundary", $"--{Boundary}\r\nContent-Disposition: form-data; name=\"lights_off\"\r\n\r\n30" },
            { "garbage", "this is not multipart at all" },
        };
    }

    [Theory]
    [MemberData(nameof(MultipartBodies))]
    public async Task MultipartBodyThatEndsEarly_IsA4xxProblem(string name, string body)
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        using var content = new ByteArrayContent(Encoding.Latin1.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");

        HttpResponseMessage response = await client.PostAsync("/api/v1/studies", content);

        await AssertProblemAsync(response, name);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(factory.DataDirectory, "incoming")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(factory.DataDirectory, "studies")));
    }

    [Theory]
    [InlineData("PUT", "/api/v1/studies/st_x/stages", "{\"corrections\":[null]}")]
    [InlineData("PUT", "/api/v1/studies/st_x/stages", "{\"corrections\":[null,{\"epoch\":0,\"stage\":\"W\"}]}")]
    [InlineData("PUT", "/api/v1/studies/st_x/stages", "{\"corrections\":null}")]
    [InlineData("PUT", "/api/v1/studies/st_x/stages", "null")]
    [InlineData("PUT", "/api/v1/studies/st_x/stages", "{\"corrections\":[{\"epoch\":\"x\",\"stage\":\"W\"}]}")]
    [InlineData("PUT", "/api/v1/studies/st_x/stages", "{\"corrections\":[{\"epoch\":1e12,\"stage\":\"W\"}]}")]
    [InlineData("PUT", "/api/v1/studies/st_x/stages", "{\"corrections\":")]
    [InlineData("PUT", "/api/v1/studies/st_x/stages", "[]")]
    [InlineData("PUT", "/api/v1/studies/st_x/epochs/0/stage", "null")]
    [InlineData("PUT", "/api/v1/studies/st_x/epochs/0/stage", "{\"stage\":null}")]
    [InlineData("PUT", "/api/v1/studies/st_x/epochs/0/stage", "{\"stage\":5}")]
    [InlineData("PUT", "/api/v1/studies/st_x/epochs/99999999999/stage", "{\"stage\":\"W\"}")]
    [InlineData("GET", "/api/v1/studies?page=abc", null)]
    [InlineData("GET", "/api/v1/studies?page_size=-1", null)]
    [InlineData("GET", "/api/v1/studies/st_x/hypnogram?format=pdf", null)]
    [InlineData("GET", "/api/v1/studies/st_x/epochs/-1", null)]
    [InlineData("GET", "/api/v1/studies/st_x/epochs/0/image.png?saliency=maybe", null)]
    public async Task MalformedJsonOrQuery_IsA4xxProblem(string method, string path, string? json)
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        HttpResponseMessage response = await client.SendAsync(request);

        await AssertProblemAsync(response, $"{method} {path} {json}");
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"name\":\"x\",\"role\":null}")]
    [InlineData("{\"name\":[],\"role\":\"admin\"}")]
    public async Task MalformedKeyRequest_IsA4xxProblem(string json)
    {
        using HttpClient admin = factory.Admin();

        HttpResponseMessage response = await admin.PostAsync("/api/v1/keys", new StringContent(json, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, json);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, string what)
    {
        int status = (int)response.StatusCode;
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status is >= 400 and < 500, $"{what}: {status} {body}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{what}: {response.Content.Headers.ContentType} {body}");
        Assert.Equal(status, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
    }
}
