using System.Net.Http.Json;
using System.Text.Json;

using Microsoft.Playwright;

using SleepScoring.Api.Tests.Support;

namespace SleepScoring.Api.BrowserTests.Support;

/// <summary>
/// The service process (with the repository's shipped model) and Debian's Chromium under
/// Playwright, in a fresh profile, at 1366×768. Console errors and page errors are collected.
/// </summary>
internal sealed class Workstation : IAsyncDisposable
{
    /// <summary>Debian's browser; Playwright's own browser download cannot work here.</summary>
    public const string Chromium = "/usr/bin/chromium";

    private readonly string directory;
    private readonly IPlaywright playwright;

    private Workstation(string directory, ServiceProcess service, IPlaywright playwright, IBrowserContext context, IPage page)
    {
        this.directory = directory;
        Service = service;
        this.playwright = playwright;
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Errors.Add($"console: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => Errors.Add($"page error: {error}");
    }

    public ServiceProcess Service { get; }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Console errors and uncaught exceptions of the page, in order.</summary>
    public List<string> Errors { get; } = [];

    public string Url(string path) => new Uri(Service.Address, path).ToString();

    /// <summary>Skips the test with the package's name when Chromium is not installed.</summary>
    public static void SkipWithoutChromium() =>
        Skip.IfNot(File.Exists(Chromium), $"{Chromium} is missing: install Debian's 'chromium' package (apt-get install -y chromium; .ci/run does) to run the browser tests.");

    public static async Task<Workstation> StartAsync()
    {
        SkipWithoutChromium();
        string directory = Directory.CreateTempSubdirectory("sleepscoring-browser-").FullName;
        string models = Path.Combine(SleepScoring.Tests.Common.SharedData.RepositoryRoot, "models");
        ServiceProcess service = await ServiceProcess.StartAsync(directory, models);
        IPlaywright playwright = await Playwright.CreateAsync();
        IBrowserContext context = await playwright.Chromium.LaunchPersistentContextAsync(Path.Combine(directory, "profile"), new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            AcceptDownloads = true,
            DownloadsPath = Path.Combine(directory, "downloads"),
        });
        context.SetDefaultTimeout(30_000);
        IPage page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
        return new Workstation(directory, service, playwright, context, page);
    }

    /// <summary>Issues a key through the API with the service's bootstrap admin key.</summary>
    public async Task<(string Id, string Key)> IssueKeyAsync(string role, string name)
    {
        using HttpClient admin = Service.Client();
        HttpResponseMessage response = await admin.PostAsJsonAsync("/api/v1/keys", new { name, role });
        response.EnsureSuccessStatusCode();
        JsonElement key = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (key.GetProperty("id").GetString()!, key.GetProperty("key").GetString()!);
    }

    /// <summary>A client of the API with <paramref name="key"/>.</summary>
    public HttpClient Api(string key)
    {
        var client = new HttpClient { BaseAddress = Service.Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>Types the key into the sign-in form (the page keeps it in this tab's sessionStorage).</summary>
    public async Task SignInAsync(string key)
    {
        await Page.GotoAsync(Url("/signin"));
        await Page.FillAsync("#signin-key", key);
        await Page.PressAsync("#signin-key", "Enter");
        await Page.WaitForSelectorAsync("#who button");
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        playwright.Dispose();
        Service.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // a profile file still held by a closing browser; the temp folder is cleaned by the OS
        }
    }
}
