using System.Text.Json.Nodes;

using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

using SleepScoring.Api.Domain;

namespace SleepScoring.Api.Endpoints;

/// <summary>
/// Gives <see cref="StudyErrorDto"/>'s <c>type</c> its closed set of codes (<see cref="StudyFailureCode"/>):
/// a client branches on them, so the document lists them rather than saying "string".
/// </summary>
internal sealed class StudyErrorSchema : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        if (context.JsonTypeInfo.Type == typeof(StudyErrorDto) && schema.Properties?.TryGetValue("type", out IOpenApiSchema? type) == true && type is OpenApiSchema code)
        {
            code.Enum = [.. StudyFailureCode.All.Select(c => (JsonNode)JsonValue.Create(c))];
            code.Description = "Why the study failed, a stable code (see docs/service.md): edf-format, montage, duration and scoring-input are the study's own errors and fail it at once; storage, database, out-of-memory and internal were retried up to the attempt limit; interrupted: the process died while scoring it too often.";
        }

        return Task.CompletedTask;
    }
}
