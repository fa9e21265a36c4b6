using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

using Microsoft.Playwright;

using SleepScoring.Api.BrowserTests.Support;

using UglyToad.PdfPig;

using Xunit.Abstractions;

namespace SleepScoring.Api.BrowserTests;

/// <summary>
/// The acceptance scenario of the workstation, in Chromium at 1366×768 against the real service with
/// the shipped model: sign in, upload the sample in the page, watch it become scored without a
/// reload, open the review, score 5 epochs with the hotkeys, accept 3 from the queue, undo one, sign
/// off, download the PDF; then the API must show the corrections, the audit and the sign-off, and
/// the PDF's text the statistics. Speed is measured in the page and written to the test output
/// (never asserted). With SLEEPSCORING_WRITE_SCREENSHOTS=1 the screenshots go to docs/images.
/// </summary>
public sealed class WorkstationScenarioTests(ITestOutputHelper output)
{
    private static readonly string Sample = Path.Combine(SleepScoring.Tests.Common.SharedData.RepositoryRoot, "sample-data", "SC4001E0-PSG.edf");

    [SkippableFact]
    public async Task SignIn_Upload_Score_Review_SignOff_Report()
    {
        await using Workstation w = await Workstation.StartAsync();
        IPage page = w.Page;
        (_, string technicianKey) = await w.IssueKeyAsync("technician", "Tess Technician");
        (string clinicianId, string clinicianKey) = await w.IssueKeyAsync("clinician", "Dr Clara Clinician");

        // A technician signs in and uploads the sample with a label; the row turns scored without a reload.
        await w.SignInAsync(technicianKey);
        Assert.Equal(technicianKey, await page.EvaluateAsync<string>("() => sessionStorage.getItem('sleepscoring-key')"));
        await page.SetInputFilesAsync("#upload-file", Sample);
        await page.FillAsync("#upload-label", "ORD-2024-0815");
        await page.FillAsync("#upload-lights-off", "0");
        await page.ClickAsync("form.upload button[type=submit]");
        ILocator row = page.Locator("tr", new PageLocatorOptions { HasText = "ORD-2024-0815" });
        await row.WaitForAsync();
        string navigations = await page.EvaluateAsync<string>("() => String(performance.getEntriesByType('navigation').length)");
        await row.Locator(".badge[data-status=scored]").WaitForAsync(new LocatorWaitForOptions { Timeout = 240_000 });
        Assert.Equal(navigations, await page.EvaluateAsync<string>("() => String(performance.getEntriesByType('navigation').length)"));
        string studyId = (await row.GetAttributeAsync("data-study"))!;

        // The clinician takes over.
        await page.ClickAsync("#who button");
        await w.SignInAsync(clinicianKey);
        await page.Locator($"tr[data-study='{studyId}'] a.button").ClickAsync();
        await page.WaitForSelectorAsync("canvas.signals[data-first-paint-ms]");
        double firstPaint = await page.EvaluateAsync<double>("() => performance.getEntriesByName('study-first-paint')[0].duration");
        output.WriteLine($"first paint of the sample study (list click to first page drawn): {firstPaint:0} ms");

        // Score five epochs with the hotkeys, from epoch 30 on.
        await GoToEpochAsync(page, studyId, 30);
        string[] keys = ["0", "1", "w", "2", "2"]; // R&K digits and letters: W, N1, W, N2, N2
        foreach (string key in keys)
        {
            await page.Keyboard.PressAsync(key);
        }

        await page.WaitForFunctionAsync("() => document.querySelector('#epoch-position').textContent.startsWith('Epoch 36 ')");
        await WaitForQuietAsync(page);

        // Page changes once the neighbours are prefetched: arrow through ten epochs.
        await page.Locator("canvas.signals").ClickAsync(new LocatorClickOptions { Position = new Position { X = 5, Y = 5 } });
        await page.EvaluateAsync("() => performance.clearMeasures('page-change')");
        for (int i = 0; i < 10; i++)
        {
            await WaitForQuietAsync(page);
            await page.Keyboard.PressAsync(i % 2 == 0 ? "ArrowRight" : "PageDown");
        }

        await WaitForQuietAsync(page);
        double[] changes = await page.EvaluateAsync<double[]>("() => performance.getEntriesByName('page-change').map(m => m.duration)");
        output.WriteLine($"page change with prefetch over {changes.Length} changes: median {Median(changes):0.0} ms, max {changes.Max():0.0} ms ({string.Join(", ", changes.Select(c => c.ToString("0.0", CultureInfo.InvariantCulture)))})");
        await GoToEpochAsync(page, studyId, 140); // deep sleep: slow waves under the saliency map
        await WaitForQuietAsync(page);
        await Screenshot(page, "workstation-scoring.png");

        // Accept three epochs from the queue, then undo the last acceptance.
        ILocator accepts = page.Locator("ol.queue li[data-reviewed=no] button.accept");
        var accepted = new List<int>();
        for (int i = 0; i < 3; i++)
        {
            ILocator item = page.Locator("ol.queue li[data-reviewed=no]").First;
            accepted.Add(int.Parse((await item.GetAttributeAsync("data-epoch"))!, CultureInfo.InvariantCulture));
            await item.Locator("button.accept").ClickAsync();
            await page.Locator($"ol.queue li[data-epoch='{accepted[^1]}'][data-reviewed=yes]").WaitForAsync();
        }

        await page.Keyboard.PressAsync("u");
        await page.Locator($"ol.queue li[data-epoch='{accepted[^1]}'][data-reviewed=no]").WaitForAsync();
        await WaitForQuietAsync(page);
        await page.WaitForSelectorAsync(".toast:not(.show)", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = 10_000 });
        await Screenshot(page, "workstation-queue.png", page.Locator("aside.side"));

        // Sign off, then the report page and its PDF.
        await page.ClickAsync("button.sign-off");
        await page.FillAsync("#sign-off-statement", "Reviewed in the browser test.");
        await page.ClickAsync("#sign-off-confirm");
        await page.WaitForSelectorAsync("p.signed:has-text('Signed off by Dr Clara Clinician')");
        await page.ClickAsync("a.button:has-text('Report')");
        await page.WaitForSelectorAsync(".report-status[data-signed=yes]");
        await page.WaitForSelectorAsync("img.report-plot[src^='blob:']");
        await page.WaitForSelectorAsync(".toast:not(.show)", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = 10_000 });
        await Screenshot(page, "workstation-report.png");
        IDownload download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-pdf"));
        string pdfPath = Path.Combine(Path.GetTempPath(), $"{studyId}-report.pdf");
        await download.SaveAsAsync(pdfPath);

        // The API has recorded it all.
        using HttpClient api = w.Api(clinicianKey);
        string study = $"/api/v1/studies/{studyId}";
        JsonElement stages = await api.GetFromJsonAsync<JsonElement>(study + "/hypnogram?format=stages");
        string[] expected = ["W", "N1", "W", "N2", "N2"];
        Assert.Equal(expected, Enumerable.Range(30, 5).Select(e => stages.GetProperty("epochs")[e].GetProperty("scorer_stage").GetString()));
        foreach (int epoch in accepted.Take(2))
        {
            JsonElement e = stages.GetProperty("epochs")[epoch];
            Assert.Equal(e.GetProperty("model_stage").GetString(), e.GetProperty("scorer_stage").GetString());
        }

        Assert.Equal(JsonValueKind.Null, stages.GetProperty("epochs")[accepted[2]].GetProperty("scorer_stage").ValueKind);
        JsonElement[] audit = [.. (await api.GetFromJsonAsync<JsonElement>(study + "/audit")).EnumerateArray()];
        Assert.Equal(5 + 3 + 1 + 1, audit.Length); // 5 scored, 3 accepted, 1 withdrawn (undo), the sign-off
        Assert.Equal("withdraw", audit[^2].GetProperty("action").GetString());
        Assert.Equal(accepted[2], audit[^2].GetProperty("epoch").GetInt32());
        Assert.Equal("sign_off", audit[^1].GetProperty("action").GetString());
        Assert.Equal(clinicianId, audit[^1].GetProperty("by").GetString());
        Assert.All(audit, a => Assert.Equal(clinicianId, a.GetProperty("by").GetString()));
        JsonElement signOff = await api.GetFromJsonAsync<JsonElement>(study + "/sign-off");
        Assert.Equal("Dr Clara Clinician", signOff.GetProperty("signed_by_name").GetString());
        JsonElement statistics = await api.GetFromJsonAsync<JsonElement>(study + "/statistics");
        using (PdfDocument pdf = PdfDocument.Open(pdfPath))
        {
            Assert.InRange(pdf.NumberOfPages, 1, 2);
            string text = string.Concat(pdf.GetPages().Select(p => p.Text));
            Assert.Contains("ORD-2024-0815", text, StringComparison.Ordinal);
            Assert.Contains("Signed offby Dr Clara Clinician", text, StringComparison.Ordinal);
            foreach ((string label, string field) in new[] { ("Total sleep time (TST)", "total_sleep_time_minutes"), ("Time in bed (TIB)", "time_in_bed_minutes"), ("Wake after sleep onset (WASO)", "wake_after_sleep_onset_minutes") })
            {
                Assert.Contains(label + statistics.GetProperty(field).GetDouble().ToString("0.0", CultureInfo.InvariantCulture) + " min", text, StringComparison.Ordinal);
            }
        }

        File.Delete(pdfPath);

        // The list shows the signed study with its review state.
        await page.ClickAsync("nav a:has-text('Studies')");
        await page.WaitForSelectorAsync($"tr[data-study='{studyId}'] .badge.signed");
        await Screenshot(page, "workstation-list.png");
        Assert.True(w.Errors.Count == 0, string.Join('\n', w.Errors));
    }

    /// <summary>
    /// With the keyboard alone (Tab, Enter, the hotkeys; no click): sign in, open the review from the
    /// list, score, accept from the queue, sign off, open the report and download the PDF; every
    /// control reached shows its focus. The deep link opens the scoring view at its epoch, which fits
    /// 1366×768 without scrolling.
    /// </summary>
    [SkippableFact]
    public async Task KeyboardAlone_SignInToReport_AndDeepLink_At1366x768()
    {
        await using Workstation w = await Workstation.StartAsync();
        IPage page = w.Page;
        (_, string technicianKey) = await w.IssueKeyAsync("technician", "Tess Technician");
        (string clinicianId, string clinicianKey) = await w.IssueKeyAsync("clinician", "Dr Clara Clinician");
        string id = await UploadAndWaitAsync(w.Api(technicianKey));

        await page.GotoAsync(w.Url("/signin"));
        await page.Keyboard.TypeAsync(clinicianKey); // the key field has the focus
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync($"tr[data-study='{id}'] .badge[data-status=scored]");
        await TabToAsync(page, $"tr[data-study='{id}'] a.button");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("canvas.signals[data-epoch='0']");
        await WaitForQuietAsync(page);

        // N: the first epoch the queue wants reviewed; 3 scores it N3 and advances; Enter accepts the next.
        await page.Keyboard.PressAsync("n");
        int scored = int.Parse((await page.Locator("ol.queue li[data-reviewed=no]").First.GetAttributeAsync("data-epoch"))!, CultureInfo.InvariantCulture);
        await page.WaitForSelectorAsync($"canvas.signals[data-epoch='{scored}']");
        await page.Keyboard.PressAsync("3");
        await page.WaitForSelectorAsync($"canvas.signals[data-epoch='{scored + 1}']");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync($"canvas.signals[data-epoch='{scored + 2}']");
        await WaitForQuietAsync(page);

        // Tab to the queue's first open Accept; Enter presses it (not the Enter hotkey), and the focus stays in the queue.
        await TabToAsync(page, "ol.queue li[data-reviewed=no] button.accept");
        int accepted = await page.EvaluateAsync<int>("() => Number(document.activeElement.closest('li').dataset.epoch)");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator($"ol.queue li[data-epoch='{accepted}'][data-reviewed=yes]").WaitForAsync();
        Assert.True(await page.EvaluateAsync<bool>($"() => document.activeElement.closest('li')?.dataset.epoch === '{accepted}'"), "the focus left the queue row after Accept");
        await WaitForQuietAsync(page);

        await page.Keyboard.PressAsync("?");
        Assert.True(await page.IsVisibleAsync("dialog.help"));
        await page.Keyboard.PressAsync("Escape");
        Assert.False(await page.IsVisibleAsync("dialog.help"));

        await TabToAsync(page, "button.sign-off");
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.TypeAsync("Signed with the keyboard alone."); // the statement has the focus
        await TabToAsync(page, "#sign-off-confirm");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("p.signed:has-text('Signed off by Dr Clara Clinician')");
        await TabToAsync(page, "a.button[href^='/report/']");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync(".report-status[data-signed=yes]");
        await TabToAsync(page, "#download-pdf");
        IDownload download = await page.RunAndWaitForDownloadAsync(() => page.Keyboard.PressAsync("Enter"));
        string pdfPath = Path.Combine(Path.GetTempPath(), $"{id}-keyboard.pdf");
        await download.SaveAsAsync(pdfPath);
        byte[] head = new byte[5];
        await using (FileStream pdf = File.OpenRead(pdfPath))
        {
            await pdf.ReadExactlyAsync(head);
        }

        File.Delete(pdfPath);
        Assert.Equal("%PDF-"u8.ToArray(), head);

        using HttpClient api = w.Api(clinicianKey);
        JsonElement epochs = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/studies/{id}/hypnogram?format=stages")).GetProperty("epochs");
        Assert.Equal("N3", epochs[scored].GetProperty("scorer_stage").GetString());
        foreach (int e in new[] { scored + 1, accepted })
        {
            Assert.Equal(epochs[e].GetProperty("model_stage").GetString(), epochs[e].GetProperty("scorer_stage").GetString());
        }

        JsonElement[] audit = [.. (await api.GetFromJsonAsync<JsonElement>($"/api/v1/studies/{id}/audit")).EnumerateArray()];
        Assert.Equal([scored, scored + 1, accepted], audit.SkipLast(1).Select(a => a.GetProperty("epoch").GetInt32()));
        Assert.Equal("sign_off", audit[^1].GetProperty("action").GetString());
        Assert.All(audit, a => Assert.Equal(clinicianId, a.GetProperty("by").GetString()));

        // The deep link, in a fresh load of the page.
        await page.GotoAsync(w.Url($"/review/{id}/120"));
        await page.WaitForSelectorAsync("canvas.signals[data-epoch='120']");
        Assert.StartsWith("Epoch 121 / 255", await page.TextContentAsync("#epoch-position"), StringComparison.Ordinal);
        double firstPaint = await page.EvaluateAsync<double>("() => performance.getEntriesByName('study-first-paint')[0].startTime + performance.getEntriesByName('study-first-paint')[0].duration");
        output.WriteLine($"first paint of the sample study by deep link (navigation start to first page drawn): {firstPaint:0} ms");
        int[] scroll = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]");
        Assert.True(scroll[0] <= 1366 && scroll[1] <= 768, $"the scoring view scrolls at 1366×768: {scroll[0]}×{scroll[1]}");
        Assert.True(w.Errors.Count == 0, string.Join('\n', w.Errors));
    }

    /// <summary>Uploads the sample through the API and waits until it is scored; returns its id.</summary>
    private static async Task<string> UploadAndWaitAsync(HttpClient api)
    {
        using (api)
        {
            using var content = new ByteArrayContent(await File.ReadAllBytesAsync(Sample));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            HttpResponseMessage response = await api.PostAsync("/api/v1/studies", content);
            response.EnsureSuccessStatusCode();
            string id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            string? status = null;
            for (int i = 0; i < 2400 && status != "scored"; i++)
            {
                status = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/studies/{id}")).GetProperty("status").GetString();
                Assert.NotEqual("failed", status);
                await Task.Delay(100);
            }

            Assert.Equal("scored", status);
            return id;
        }
    }

    /// <summary>Presses Tab until the focus is on an element matching <paramref name="selector"/>, which must show its focus.</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        for (int i = 0; i < 200; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) ?? false", selector))
            {
                string outline = await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
                Assert.True(outline != "none", $"{selector} has the focus but does not show it");
                return;
            }
        }

        Assert.Fail($"Tab never reached {selector}");
    }

    private static async Task GoToEpochAsync(IPage page, string studyId, int epoch)
    {
        await page.Locator("canvas.hypnogram").WaitForAsync();
        await page.EvaluateAsync("([id, e]) => { history.pushState(null, '', `/review/${id}/${e}`); dispatchEvent(new PopStateEvent('popstate')); }", new object[] { studyId, epoch });
        await page.WaitForSelectorAsync($"canvas.signals[data-epoch='{epoch}']");
    }

    /// <summary>Waits until the page has no API request in flight (body[data-busy] is gone): the neighbours are prefetched.</summary>
    private static Task WaitForQuietAsync(IPage page) =>
        page.WaitForSelectorAsync("body:not([data-busy])", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });

    private static double Median(double[] values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }

    private async Task Screenshot(IPage page, string name, ILocator? element = null)
    {
        string folder = Environment.GetEnvironmentVariable("SLEEPSCORING_WRITE_SCREENSHOTS") == "1"
            ? Path.Combine(SleepScoring.Tests.Common.SharedData.RepositoryRoot, "docs", "images")
            : Path.Combine(Path.GetTempPath(), "sleepscoring-screenshots");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name);
        if (element is null)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        }
        else
        {
            await element.ScreenshotAsync(new LocatorScreenshotOptions { Path = path });
        }

        output.WriteLine($"screenshot {path}");
    }
}
