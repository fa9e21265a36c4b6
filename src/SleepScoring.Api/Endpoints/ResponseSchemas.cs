using System.Text.Json.Nodes;

using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace SleepScoring.Api.Endpoints;

/// <summary>
/// Response schemas the framework cannot infer: files and streams (their media type with a string
/// schema), and the scored study, whose schema is the published contract itself.
/// </summary>
internal static class ResponseSchemas
{
    /// <summary>200 with a binary body of <paramref name="contentType"/> (<c>type: string, format: binary</c>).</summary>
    public static RouteHandlerBuilder ProducesBinary(this RouteHandlerBuilder builder, string contentType) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            Ok(operation).Content![contentType] = new OpenApiMediaType { Schema = Binary() };
            return Task.CompletedTask;
        });

    /// <summary>200 with a text body of <paramref name="contentType"/> (<c>type: string</c>), described.</summary>
    public static RouteHandlerBuilder ProducesText(this RouteHandlerBuilder builder, string contentType, string description) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            Ok(operation).Content![contentType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = description } };
            return Task.CompletedTask;
        });

    /// <summary>
    /// <c>GET …/hypnogram</c>'s four bodies: the scored-study contract (JSON), the stages document
    /// (declared by its type on the endpoint), CSV text and an EDF+ file.
    /// </summary>
    public static Task Hypnogram(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        IDictionary<string, OpenApiMediaType> content = Ok(operation).Content!;
        content[ResultEndpoints.ScoredStudyType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ScoredStudyContract.SchemaId, context.Document) };
        content[ResultEndpoints.CsvType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "One line per epoch: onset (s) and stage." } };
        content[ResultEndpoints.EdfType] = new OpenApiMediaType { Schema = Binary() };
        return Task.CompletedTask;
    }

    private static OpenApiSchema Binary() => new() { Type = JsonSchemaType.String, Format = "binary" };

    /// <summary>The operation's 200 response with its content map, made if the endpoint declared none.</summary>
    private static OpenApiResponse Ok(OpenApiOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        operation.Responses ??= [];
        if (!operation.Responses.TryGetValue("200", out IOpenApiResponse? found) || found is not OpenApiResponse response)
        {
            response = new OpenApiResponse { Description = "OK" };
            operation.Responses["200"] = response;
        }

        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        return response;
    }
}

/// <summary>
/// Puts <c>schemas/scored-study.schema.json</c> into the OpenAPI document as the component
/// <see cref="SchemaId"/>, its definitions as components beside it. The scored JSON is the worker's
/// (and <c>sleepscore score</c>'s) file served as written, and the published schema is what it is
/// checked against; repeating it as records would give integrators a second, looser description.
/// </summary>
internal sealed class ScoredStudyContract : IOpenApiDocumentTransformer
{
    public const string SchemaId = "ScoredStudy";

    private const string ResourceName = "scored-study.schema.json";

    private static readonly Lazy<JsonObject> Contract = new(() =>
    {
        using Stream stream = typeof(ScoredStudyContract).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in the service");
        return JsonNode.Parse(stream)!.AsObject();
    });

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        var root = (JsonObject)Contract.Value.DeepClone();
        root.Remove("$schema"); // draft-07's keywords used here mean the same in OpenAPI 3.1's dialect
        root.Remove("$id");
        if (root["definitions"] is JsonObject definitions)
        {
            root.Remove("definitions");
            foreach ((string name, JsonNode? definition) in definitions.ToList())
            {
                Add(document, ComponentName(name), definition!);
            }
        }

        Add(document, SchemaId, root);
        return Task.CompletedTask;
    }

    /// <summary><c>stage</c> → <c>ScoredStudyStage</c>: the contract's definitions keep their names under one prefix.</summary>
    internal static string ComponentName(string definition) => SchemaId + char.ToUpperInvariant(definition[0]) + definition[1..];

    private static void Add(OpenApiDocument document, string id, JsonNode schema)
    {
        RewriteReferences(schema);
        schema.AsObject().Remove("$schema");
        OpenApiSchema read = new OpenApiJsonReader().ReadFragment<OpenApiSchema>(schema.DeepClone(), OpenApiSpecVersion.OpenApi3_1, document, out OpenApiDiagnostic diagnostic)
            ?? throw new InvalidOperationException($"{ResourceName}: {id} is not a schema");
        if (diagnostic.Errors.Count > 0)
        {
            throw new InvalidOperationException($"{ResourceName}: {id}: {string.Join("; ", diagnostic.Errors.Select(e => e.Message))}");
        }

        document.Components!.Schemas![id] = read;
    }

    private static void RewriteReferences(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o["$ref"]?.GetValue<string>() is string reference && reference.StartsWith("#/definitions/", StringComparison.Ordinal))
                {
                    o["$ref"] = "#/components/schemas/" + ComponentName(reference["#/definitions/".Length..]);
                }

                foreach ((string _, JsonNode? child) in o.ToList())
                {
                    if (child is not null)
                    {
                        RewriteReferences(child);
                    }
                }

                break;
            case JsonArray a:
                foreach (JsonNode? child in a)
                {
                    if (child is not null)
                    {
                        RewriteReferences(child);
                    }
                }

                break;
        }
    }
}
