using Microsoft.AspNetCore.Http.HttpResults;

using SleepScoring.Api.Domain;
using SleepScoring.Api.Jobs;
using SleepScoring.Api.Reports;
using SleepScoring.Api.Scored;
using SleepScoring.Api.Security;
using SleepScoring.Api.Storage;

namespace SleepScoring.Api.Endpoints;

/// <summary><c>GET …/report.pdf</c>: the study's report for the record.</summary>
public static class ReportEndpoints
{
    public const string PdfType = "application/pdf";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/studies/{id}").WithTags("Results").RequireAuthorization(Roles.Policies.Read).AddEndpointFilter<StudyAccessFilter>()
            .MapGet("/report.pdf", ReportAsync)
.ProducesBinary(PdfType).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("The study report (PDF, two A4 pages, extractable text): label, recording, hypnogram and hypnodensity, AASM statistics of the final stages, review and sign-off, the model's card figures and limits. Marked preliminary until signed off.");
    }

    private static async Task<FileContentHttpResult> ReportAsync(string id, IResultStore results, ISignOffStore signOffs, DataFolder folder, ModelProvider models, TimeProvider time, CancellationToken cancellationToken)
    {
        ScoredResult result = await ResultEndpoints.LoadAsync(id, results, cancellationToken).ConfigureAwait(false);
        ScoredExtras extras = ScoredExtras.Of(result.Study, folder);
        int[] queue = [.. ClinicalQueue.Of(result, extras.ReviewThreshold).Select(q => q.Index)];
        var review = new ReviewSummary(
            queue.Length,
            queue.Count(i => result.Epochs[i].Reviewed),
            result.Epochs.Count(e => e.Reviewed),
            result.Epochs.Count(e => e.Corrected));
        IReadOnlyList<string> warnings = result.Study.Warnings;
        var report = new StudyReport(
            result,
            result.Statistics(),
            extras,
            review,
            await signOffs.FindAsync(id, cancellationToken).ConfigureAwait(false),
            ModelSummary.Of(result.Study.ModelName ?? "unknown", result.Study.ModelVersion ?? "unknown", models.Card ?? CardIn(models.Directory)),
            warnings,
            time.GetUtcNow().UtcDateTime);
        using var pdf = new MemoryStream();
        ReportPdf.Write(report, pdf);
        string name = new([.. (result.Study.Label ?? id).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        return TypedResults.File(pdf.ToArray(), PdfType, $"{name}-report.pdf");
    }

    // The card alone (no graphs loaded) when the worker has not loaded a model yet; null when absent or unreadable.
    private static SleepScoring.Model.ModelCard? CardIn(string directory)
    {
        try
        {
            string path = Path.Combine(directory, SleepScoring.Model.ModelCard.FileName);
            return File.Exists(path) ? SleepScoring.Model.ModelCard.Load(path) : null;
        }
        catch (SleepScoring.Model.ModelFileException)
        {
            return null;
        }
    }
}
