using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

using SleepScoring.Analysis;
using SleepScoring.Analysis.Staging;
using SleepScoring.Api.Domain;
using SleepScoring.Api.Scored;
using SleepScoring.Api.Security;
using SleepScoring.Api.Storage;
using SleepScoring.Rendering.Clinician;
using SleepScoring.Rendering.Hypnogram;

namespace SleepScoring.Api.Endpoints;

/// <summary>The explained hypnogram of a scored study: JSON, CSV, EDF+, PNG, statistics, epochs.</summary>
public static class ResultEndpoints
{
    public const string CsvType = "text/csv";
    public const string EdfType = "application/edf";
    public const string ScoredStudyType = "application/json";
    public const string StagesType = "application/vnd.sleepscoring.stages+json";

    public static void Map(IEndpointRouteBuilder app)
    {
        RouteGroupBuilder study = app.MapGroup("/api/v1/studies/{id}").WithTags("Results").RequireAuthorization(Roles.Policies.Read).AddEndpointFilter<StudyAccessFilter>();
        study.MapGet("/hypnogram", HypnogramAsync)
            .Produces<StagesDocumentDto>(StatusCodes.Status200OK, StagesType)
            .AddOpenApiOperationTransformer(ResponseSchemas.Hypnogram)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesValidationProblem()
            .WithSummary("The hypnogram. format=json (default; scored-study.schema.json, the model's result), stages (model and scorer stage side by side with the model's probabilities, derivations and recomputed statistics), csv or edf (final stages: the scorer's where corrected); or by Accept header.");
        study.MapGet("/hypnogram.png", HypnogramPngAsync).ProducesBinary("image/png").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Hypnogram and hypnodensity plot; a second panel shows the scorer's stages when corrected.");
        study.MapGet("/statistics", StatisticsAsync).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Sleep statistics of the final stages (recomputed after corrections).");
        study.MapGet("/epochs/{n:int}", EpochAsync).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("One epoch: probabilities, confidence, saliency grid, neighbour weights, model and scorer stage.");
        study.MapGet("/epochs/{n:int}/image.png", EpochImageAsync).ProducesBinary("image/png").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Clinician image of one epoch; saliency=false leaves out the overlay.");
    }

    private static async Task<Results<PhysicalFileHttpResult, JsonHttpResult<StagesDocumentDto>, ContentHttpResult, FileContentHttpResult>> HypnogramAsync([AsParameters] HypnogramRequest request, CancellationToken cancellationToken)
    {
        string? chosen = request.Format ?? FromAccept(request.Http.Request.Headers.Accept.ToString());
        if (chosen is not (null or "json" or "stages" or "csv" or "edf"))
        {
            throw new InvalidFieldException("format", $"format must be json, stages, csv or edf; got '{request.Format}'");
        }

        ScoredResult result = await LoadAsync(request.Id, request.Results, cancellationToken).ConfigureAwait(false);
        switch (chosen)
        {
            case "stages":
                return TypedResults.Json(StagesDocument(result, ScoredExtras.Of(result.Study, request.Folder)), contentType: StagesType);
            case "csv":
                var csv = new StringWriter();
                HypnogramCsv.Write(result.FinalHypnogram(), csv);
                return TypedResults.Text(csv.ToString(), CsvType);
            case "edf":
                using (var edf = new MemoryStream())
                {
                    HypnogramEdf.Write(result.FinalHypnogram(), edf, StageLabelStyle.SleepEdf, result.Study.AnalysedLightsOff, result.Study.AnalysedLightsOn);
                    return TypedResults.File(edf.ToArray(), EdfType, $"{request.Id}-hypnogram.edf");
                }

            default:
                // The worker's file as written: the scored-study contract byte for byte.
                return TypedResults.PhysicalFile(request.Folder.ResultJson(request.Id), ScoredStudyType);
        }
    }

    private static string? FromAccept(string accept) =>
        accept.Contains(CsvType, StringComparison.OrdinalIgnoreCase) ? "csv"
        : accept.Contains(EdfType, StringComparison.OrdinalIgnoreCase) ? "edf"
        : accept.Contains(StagesType, StringComparison.OrdinalIgnoreCase) ? "stages"
        : null;

    private static StagesDocumentDto StagesDocument(ScoredResult result, ScoredExtras extras) => new(
        result.Study.Id,
        new ModelNameDto(result.Study.ModelName, result.Study.ModelVersion),
        result.Start,
        Hypnogram.StandardEpochSeconds,
        result.Epochs.Count(e => e.Reviewed),
        extras.ReviewThreshold,
        [.. extras.Derivations.Select(d => new DerivationDto(d.Name, d.Role, d.Source, d.HowFound))],
        ["W", "N1", "N2", "N3", "R"],
        StatisticsDto.From(StatisticsJson.ToElement(result.FinalHypnogram(), result.Statistics())),
        [.. result.Epochs.Select(e => new StagesEpochDto(
            e.Index,
            e.Index * Hypnogram.StandardEpochSeconds,
            EpochResult.Name(e.ModelStage),
            e.ScorerStage is SleepStage scorer ? EpochResult.Name(scorer) : null,
            EpochResult.Name(e.FinalStage),
            e.Probabilities.Sum() > 0 ? [.. e.Probabilities.Select(v => MathF.Round(v, 4))] : null))]);

    private static async Task<FileContentHttpResult> HypnogramPngAsync(string id, IResultStore results, CancellationToken cancellationToken)
    {
        ScoredResult result = await LoadAsync(id, results, cancellationToken).ConfigureAwait(false);
        var input = new HypnogramPlotInput(result.ModelStages, TimeSpan.FromSeconds(Hypnogram.StandardEpochSeconds), result.Start)
        {
            Probabilities = result.Probabilities,
            Corrections = result.HasCorrections ? result.FinalStages : null,
            Title = $"Model ({result.Study.ModelName} {result.Study.ModelVersion})",
            CorrectionsTitle = "Scorer",
        };
        return TypedResults.File(new HypnogramPlotRenderer().RenderPng(input), "image/png");
    }

    private static async Task<Ok<StatisticsDto>> StatisticsAsync(string id, IResultStore results, CancellationToken cancellationToken)
    {
        ScoredResult result = await LoadAsync(id, results, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(StatisticsDto.From(StatisticsJson.ToElement(result.FinalHypnogram(), result.Statistics())));
    }

    private static async Task<Ok<EpochDetailDto>> EpochAsync(string id, int n, IResultStore results, CancellationToken cancellationToken)
    {
        (Study _, EpochResult epoch) = await LoadEpochAsync(id, n, results, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(EpochDetailDto.From(epoch));
    }

    private static async Task<FileContentHttpResult> EpochImageAsync(string id, int n, [FromQuery] bool? saliency, IResultStore results, DataFolder folder, CancellationToken cancellationToken)
    {
        (Study study, EpochResult epoch) = await LoadEpochAsync(id, n, results, cancellationToken).ConfigureAwait(false);
        (string[] names, float[] samples) = ModelSignalsFile.ReadEpoch(folder.ModelSignals(id), n);
        float[,]? grid = saliency == false ? null : epoch.Saliency;
        using var renderer = new ClinicianImageRenderer(names);
        var caption = new EpochCaption(n, ScoredResult.StartOf(study).AddSeconds(n * Hypnogram.StandardEpochSeconds), epoch.FinalStage);
        return TypedResults.File(renderer.RenderPng(samples, caption, grid), "image/png");
    }

    /// <summary>One epoch of a scored study, read alone (the epoch endpoints need no whole night).</summary>
    /// <exception cref="StudyNotFoundException">No such study.</exception>
    /// <exception cref="StudyNotScoredException">The study is not scored.</exception>
    /// <exception cref="EpochOutOfRangeException">The study has no such epoch.</exception>
    internal static async Task<(Study Study, EpochResult Epoch)> LoadEpochAsync(string id, int n, IResultStore results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        (Study? study, EpochResult? epoch) = await results.LoadEpochAsync(id, n, cancellationToken).ConfigureAwait(false);
        if (study is null)
        {
            throw new StudyNotFoundException(id);
        }

        if (study.Status != StudyStatus.Scored)
        {
            throw new StudyNotScoredException(id, study.Status);
        }

        return (study, epoch ?? throw new EpochOutOfRangeException(id, n, study.EpochCount));
    }

    /// <summary>The whole scored night of a study.</summary>
    /// <exception cref="StudyNotFoundException">No such study.</exception>
    /// <exception cref="StudyNotScoredException">The study is not scored.</exception>
    internal static async Task<ScoredResult> LoadAsync(string id, IResultStore results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        (Study? study, ScoredResult? result) = await results.LoadAsync(id, cancellationToken).ConfigureAwait(false);
        return result
            ?? throw (study is null ? new StudyNotFoundException(id) : new StudyNotScoredException(id, study.Status));
    }
}

/// <summary>Route and services of <c>GET …/hypnogram</c>.</summary>
internal sealed record HypnogramRequest(string Id, [FromQuery(Name = "format")] string? Format, HttpContext Http, IResultStore Results, DataFolder Folder);
