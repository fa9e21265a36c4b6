using System.Net;
using System.Text.Json;

using SleepScoring.Api.Security;
using SleepScoring.Api.Tests.Support;
using SleepScoring.Edf;
using SleepScoring.Edf.Tests;
using SleepScoring.Tests.Common;

using Xunit.Abstractions;

namespace SleepScoring.Api.Tests.Ingest;

/// <summary>
/// The EDF issue's malformed-file corpus (<see cref="EdfMutations"/>) uploaded through the API. The
/// expectation of each variant comes from the EDF reader alone: a variant the reader rejects must be
/// a 4xx problem+json naming a field; none may be a 5xx; afterwards the service is healthy and the
/// data folder holds exactly the accepted studies (no orphan files).
/// </summary>
public sealed class MalformedUploadTests(ITestOutputHelper output) : IDisposable
{
    private readonly ApiFactory factory = new(withModel: false); // ingest only: nothing is scored

    public void Dispose() => factory.Dispose();

    [SkippableFact]
    public async Task EveryMalformedFile_IsA4xxProblem_AndLeavesNoOrphanFiles()
    {
        byte[] crop = File.ReadAllBytes(SharedData.Require("edf-samples/sleep-edf/SC4001E0-PSG_first5min_edfio.edf"));
        byte[] hypnogram = File.ReadAllBytes(SharedData.Require("edf-samples/sleep-edf/SC4001EC-Hypnogram.edf"));
        List<(string Name, byte[] Bytes)> variants = [];
        foreach ((string source, byte[] file, int seed) in new[] { ("crop", crop, 1), ("hypnogram", hypnogram, 2) })
        {
            variants.AddRange(EdfMutations.Truncations(file).Select(v => ($"{source}: {v.Name}", v.Bytes)));
            variants.AddRange(EdfMutations.LyingFields(file).Select(v => ($"{source}: {v.Name}", v.Bytes)));
            variants.AddRange(EdfMutations.RandomHeaderBytes(file, new Random(seed), 25).Select(v => ($"{source}: {v.Name}", v.Bytes)));
        }

        using HttpClient client = await factory.ClientAsync(Roles.Integration);
        var accepted = new HashSet<string>();
        int rejected = 0;
        foreach ((string name, byte[] bytes) in variants)
        {
            bool readerRejects = ReaderRejects(bytes);
            HttpResponseMessage response = await client.UploadAsync(bytes);
            int status = (int)response.StatusCode;
            Assert.True(status < 500, $"{name}: {status}");
            if (readerRejects)
            {
                rejected++;
                Assert.True(status is >= 400 and < 500, $"{name}: the reader rejects it, the API answered {status}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                JsonElement problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()), name);
                Assert.True(problem.TryGetProperty("field", out _), $"{name}: {problem}");
            }
            else if (status is 200 or 202)
            {
                accepted.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!);
            }
        }

        output.WriteLine($"{variants.Count} variants: {rejected} rejected by the reader, {accepted.Count} distinct studies accepted");
        Assert.InRange(rejected, 50, variants.Count); // the corpus is mostly fatal; the count guards against an empty run
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(factory.DataDirectory, "incoming")));
        Assert.Equal(accepted.Order(), Directory.GetDirectories(Path.Combine(factory.DataDirectory, "studies")).Select(Path.GetFileName).Order());
        Assert.Equal(accepted.Count, await StoreQueries.CountAsync(factory, "SELECT COUNT(*) FROM studies"));
    }

    [Fact]
    public async Task NotAnEdf_IsRefusedFromTheFixedHeader_NamingVersion()
    {
        using HttpClient client = await factory.ClientAsync(Roles.Technician);
        byte[] body = new byte[4096];
        "%PDF-1.7"u8.CopyTo(body);

        HttpResponseMessage response = await client.UploadAsync(body);
        JsonElement problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("version", problem.GetProperty("field").GetString());
        Assert.Equal(0, problem.GetProperty("offset").GetInt64());
    }

    private static bool ReaderRejects(byte[] bytes)
    {
        try
        {
            using EdfReader reader = EdfReader.Open(new MemoryStream(bytes, writable: false));
            return reader.Header.Duration < 30; // shorter than an epoch: refused too (422, field 'number of data records')
        }
        catch (EdfFormatException)
        {
            return true;
        }
    }
}
