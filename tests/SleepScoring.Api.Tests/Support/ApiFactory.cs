using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SleepScoring.Api.Tests.Support;

/// <summary>
/// The service in memory (WebApplicationFactory) over a fresh temporary data folder, with the
/// contract model (or none), a bootstrap admin key and quick retry delays.
/// </summary>
internal sealed class ApiFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-Gx7Qm2Vb9Lk4Ws8Tn3Yh6Jd1Rf5Pc0Zu";

    private readonly ContractModel? model;
    private readonly Dictionary<string, string> settings;
    private readonly Action<IServiceCollection>? services;
    private bool disposed;

    public ApiFactory(bool withModel = true, IDictionary<string, string>? overrides = null, Action<IServiceCollection>? services = null)
    {
        model = withModel ? new ContractModel() : null;
        DataDirectory = Directory.CreateTempSubdirectory("sleepscoring-api-").FullName;
        ModelDirectory = model?.Directory ?? Directory.CreateTempSubdirectory("sleepscoring-nomodel-").FullName;
        settings = new Dictionary<string, string>
        {
            ["Storage:DataDirectory"] = DataDirectory,
            ["Scoring:ModelDirectory"] = ModelDirectory,
            ["Scoring:PollInterval"] = "00:00:00.050",
            ["Scoring:RetryDelay"] = "00:00:00.050",
            ["Callbacks:RetryDelay"] = "00:00:00.050",
            ["Security:BootstrapAdminKey"] = AdminKey,
        };
        foreach ((string key, string value) in overrides ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        this.services = services;
    }

    public string DataDirectory { get; }

    public string ModelDirectory { get; }

    /// <summary>Every log line the service wrote (message and exception), for the PHI test.</summary>
    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach ((string key, string value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(Logs));
        if (services is not null)
        {
            builder.ConfigureServices(services);
        }
    }

    /// <summary>A client authenticated with the bootstrap admin key.</summary>
    public HttpClient Admin() => WithKey(AdminKey);

    public HttpClient WithKey(string? key)
    {
        HttpClient client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    /// <summary>Issues a key of <paramref name="role"/> through the admin endpoint.</summary>
    public async Task<IssuedKeyBody> IssueAsync(string role)
    {
        using HttpClient admin = Admin();
        HttpResponseMessage response = await admin.PostAsJsonAsync("/api/v1/keys", new { name = $"test {role}", role });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<IssuedKeyBody>(Json.Options))!;
    }

    /// <summary>A client with a new key of <paramref name="role"/>.</summary>
    public async Task<HttpClient> ClientAsync(string role) => WithKey((await IssueAsync(role)).Key);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && !disposed)
        {
            disposed = true;
            model?.Dispose();
            TryDelete(DataDirectory);
            if (model is null)
            {
                TryDelete(ModelDirectory);
            }
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still open by a stopping host; the temp folder is cleaned by the OS
        }
    }
}

/// <summary>The issue response.</summary>
internal sealed record IssuedKeyBody(string Id, string Name, string Role, string Key, string? CallbackSecret);

/// <summary>JSON as the service writes it (snake_case).</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}

/// <summary>Uploads and polling shared by the tests.</summary>
internal static class ApiCalls
{
    /// <summary>Uploads EDF bytes as application/octet-stream with an optional query.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(this HttpClient client, byte[] edf, string query = "", string? idempotencyKey = null)
    {
        using var content = new ByteArrayContent(edf);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/studies" + query) { Content = content };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Uploads and returns the study id (expects 202).</summary>
    public static async Task<string> UploadStudyAsync(this HttpClient client, byte[] edf, string query = "")
    {
        HttpResponseMessage response = await client.UploadAsync(edf, query);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Polls the study until it is scored or failed (60 s bound: a hang fails the test, it never blocks the suite).</summary>
    public static async Task<JsonElement> WaitForAsync(this HttpClient client, string id, string status = "scored")
    {
        for (int i = 0; i < 1200; i++)
        {
            JsonElement study = await client.GetFromJsonAsync<JsonElement>($"/api/v1/studies/{id}");
            string current = study.GetProperty("status").GetString()!;
            if (current is "scored" or "failed")
            {
                Assert.True(current == status, $"study {id} is {current}, expected {status}: {study}");
                return study;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"study {id} did not finish within 60 s");
    }

    /// <summary>Uploads and waits until scored.</summary>
    public static async Task<string> ScoreAsync(this HttpClient client, byte[] edf, string query = "")
    {
        string id = await client.UploadStudyAsync(edf, query);
        await client.WaitForAsync(id);
        return id;
    }
}

/// <summary>Collects every log message of the host.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            owner.lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} [{structured}] {exception}");
        }
    }
}
