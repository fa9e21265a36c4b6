using System.Text.Json.Nodes;

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
            .Produces(StatusCodes.Status200OK, typeof(object), ScoredStudyType, StagesType, CsvType, EdfType)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesValidationProblem()
            .WithSummary("The hypnogram. format=json (default; scored-study.schema.json, the model's result), stages (model and scorer stage side by side with the model's probabilities, derivations and recomputed statistics), csv or edf (final stages: the scorer's where corrected); or by Accept header.");
        study.MapGet("/hypnogram.png", HypnogramPngAsync).Produces(StatusCodes.Status200OK, contentType: "image/png").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Hypnogram and hypnodensity plot; a second panel shows the scorer's stages when corrected.");
        study.MapGet("/statistics", StatisticsAsync).Produces(StatusCodes.Status200OK, typeof(object), "application/json").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Sleep statistics of the final stages (recomputed after corrections).");
        study.MapGet("/epochs/{n:int}", EpochAsync).Produces(StatusCodes.Status200OK, typeof(object), "application/json").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One epoch: probabilities, confidence, saliency grid, neighbour weights, model and scorer stage.");
        study.MapGet("/epochs/{n:int}/image.png", EpochImageAsync).Produces(StatusCodes.Status200OK, contentType: "image/png").ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Clinician image of one epoch; saliency=false leaves out the overlay.");
    }

    private static async Task<IResult> HypnogramAsync(string id, [FromQuery] string? format, HttpContext http, IResultStore results, DataFolder folder, CancellationToken cancellationToken)
    {
        string? chosen = format ?? FromAccept(http.Request.Headers.Accept.ToString());
        if (chosen is not (null or "json" or "stages" or "csv" or "edf"))
        {
            return Problems.Field("format", $"format must be json, stages, csv or edf; got '{format}'");
        }

        (ScoredResult? result, IResult? problem) = await LoadAsync(id, results, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            return problem!;
        }

        switch (chosen)
        {
            case "stages":
                return Results.Json(StagesDocument(result, ScoredExtras.Of(result.Study, folder)), contentType: StagesType);
            case "csv":
                var csv = new StringWriter();
                HypnogramCsv.Write(result.FinalHypnogram(), csv);
                return Results.Text(csv.ToString(), CsvType);
            case "edf":
                using (var edf = new MemoryStream())
                {
                    HypnogramEdf.Write(result.FinalHypnogram(), edf, StageLabelStyle.SleepEdf, result.Study.AnalysedLightsOff, result.Study.AnalysedLightsOn);
                    return Results.File(edf.ToArray(), EdfType, $"{id}-hypnogram.edf");
                }

            default:
                return Results.File(folder.ResultJson(id), ScoredStudyType);
        }
    }

    private static string? FromAccept(string accept) =>
        accept.Contains(CsvType, StringComparison.OrdinalIgnoreCase) ? "csv"
        : accept.Contains(EdfType, StringComparison.OrdinalIgnoreCase) ? "edf"
        : accept.Contains(StagesType, StringComparison.OrdinalIgnoreCase) ? "stages"
        : null;

    private static JsonObject StagesDocument(ScoredResult result, ScoredExtras extras)
    {
        var epochs = new JsonArray();
        foreach (EpochResult e in result.Epochs)
        {
            IReadOnlyList<float> p = e.Probabilities;
            epochs.Add(new JsonObject
            {
                ["index"] = e.Index,
                ["onset_seconds"] = e.Index * Hypnogram.StandardEpochSeconds,
                ["model_stage"] = EpochResult.Name(e.ModelStage),
                ["scorer_stage"] = e.ScorerStage is SleepStage scorer ? EpochResult.Name(scorer) : null,
                ["stage"] = EpochResult.Name(e.FinalStage),
                ["probabilities"] = p.Sum() > 0 ? new JsonArray([.. p.Select(v => JsonValue.Create(MathF.Round(v, 4)))]) : null,
            });
        }

        var derivations = new JsonArray();
        foreach (Inference.Scoring.DerivationUsed d in extras.Derivations)
        {
            derivations.Add(new JsonObject { ["name"] = d.Name, ["role"] = d.Role, ["source"] = d.Source, ["how_found"] = d.HowFound });
        }

        return new JsonObject
        {
            ["study_id"] = result.Study.Id,
            ["model"] = new JsonObject { ["name"] = result.Study.ModelName, ["version"] = result.Study.ModelVersion },
            ["start_time"] = result.Start,
            ["epoch_seconds"] = Hypnogram.StandardEpochSeconds,
            ["corrected_epochs"] = result.Epochs.Count(e => e.Reviewed),
            ["review_threshold"] = extras.ReviewThreshold,
            ["derivations"] = derivations,
            ["probability_classes"] = new JsonArray("W", "N1", "N2", "N3", "R"),
            ["statistics"] = JsonNode.Parse(StatisticsJson.ToElement(result.FinalHypnogram(), result.Statistics()).GetRawText()),
            ["epochs"] = epochs,
        };
    }

    private static async Task<IResult> HypnogramPngAsync(string id, IResultStore results, CancellationToken cancellationToken)
    {
        (ScoredResult? result, IResult? problem) = await LoadAsync(id, results, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            return problem!;
        }

        var input = new HypnogramPlotInput(result.ModelStages, TimeSpan.FromSeconds(Hypnogram.StandardEpochSeconds), result.Start)
        {
            Probabilities = result.Probabilities,
            Corrections = result.HasCorrections ? result.FinalStages : null,
            Title = $"Model ({result.Study.ModelName} {result.Study.ModelVersion})",
            CorrectionsTitle = "Scorer",
        };
        return Results.File(new HypnogramPlotRenderer().RenderPng(input), "image/png");
    }

    private static async Task<IResult> StatisticsAsync(string id, IResultStore results, CancellationToken cancellationToken)
    {
        (ScoredResult? result, IResult? problem) = await LoadAsync(id, results, cancellationToken).ConfigureAwait(false);
        return result is null ? problem! : Results.Json(StatisticsJson.ToElement(result.FinalHypnogram(), result.Statistics()));
    }

    private static async Task<IResult> EpochAsync(string id, int n, IResultStore results, CancellationToken cancellationToken)
    {
        (Study? _, EpochResult? epoch, IResult? problem) = await LoadEpochAsync(id, n, results, cancellationToken).ConfigureAwait(false);
        if (epoch is null)
        {
            return problem!;
        }

        JsonNode detail = JsonNode.Parse(epoch.Detail)!;
        detail["model_stage"] = EpochResult.Name(epoch.ModelStage);
        detail["scorer_stage"] = epoch.ScorerStage is SleepStage scorer ? EpochResult.Name(scorer) : null;
        detail["stage"] = EpochResult.Name(epoch.FinalStage);
        return Results.Json(detail);
    }

    private static async Task<IResult> EpochImageAsync(string id, int n, [FromQuery] bool? saliency, IResultStore results, DataFolder folder, CancellationToken cancellationToken)
    {
        (Study? study, EpochResult? epoch, IResult? problem) = await LoadEpochAsync(id, n, results, cancellationToken).ConfigureAwait(false);
        if (epoch is null)
        {
            return problem!;
        }

        (string[] names, float[] samples) = ModelSignalsFile.ReadEpoch(folder.ModelSignals(id), n);
        float[,]? grid = saliency == false ? null : epoch.Saliency;
        using var renderer = new ClinicianImageRenderer(names);
        var caption = new EpochCaption(n, ScoredResult.StartOf(study!).AddSeconds(n * Hypnogram.StandardEpochSeconds), epoch.FinalStage);
        return Results.File(renderer.RenderPng(samples, caption, grid), "image/png");
    }

    /// <summary>One epoch of a scored study, read alone (the epoch endpoints need no whole night).</summary>
    private static async Task<(Study? Study, EpochResult? Epoch, IResult? Problem)> LoadEpochAsync(string id, int n, IResultStore results, CancellationToken cancellationToken)
    {
        (Study? study, EpochResult? epoch) = await results.LoadEpochAsync(id, n, cancellationToken).ConfigureAwait(false);
        if (study is null || study.Status != StudyStatus.Scored)
        {
            return (null, null, study is null ? Problems.NotFound($"study {id}") : Problems.NotScored(id, study.Status));
        }

        return epoch is null
            ? (study, null, Problems.NotFound($"epoch {n} of study {id} (it has epochs 0–{study.EpochCount - 1})"))
            : (study, epoch, null);
    }

    /// <summary>A scored study's result, or the problem: 404 when absent, 409 when not scored.</summary>
    internal static async Task<(ScoredResult? Result, IResult? Problem)> LoadAsync(string id, IResultStore results, CancellationToken cancellationToken)
    {
        (Study? study, ScoredResult? result) = await results.LoadAsync(id, cancellationToken).ConfigureAwait(false);
        return result is not null ? (result, null)
            : (null, study is null ? Problems.NotFound($"study {id}") : Problems.NotScored(id, study.Status));
    }
}
