using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SleepScoring.Api.Endpoints;

/// <summary>
/// The upload's metadata in the OpenAPI document: read by hand from the query (octet-stream) or form
/// fields (multipart) while the body streams, so the framework cannot infer them.
/// </summary>
internal static class UploadParameters
{
    private static readonly (string Name, string Description, JsonSchemaType Type, bool Many)[] Query =
    [
        ("map", "Channel mapping FROM=TO (signal label = derivation name); repeatable.", JsonSchemaType.String, true),
        ("lights_off", "Lights-off, seconds from the recording start.", JsonSchemaType.Number, false),
        ("lights_on", "Lights-on, seconds from the recording start.", JsonSchemaType.Number, false),
        ("callback_url", "Receives a POST signed with the integration key's callback secret (X-SleepScoring-Signature: sha256=HMAC) when scoring ends. Integration keys only.", JsonSchemaType.String, false),
        ("label", "A non-identifying label to find the study by (an order or accession number; 1–64 letters, digits, spaces, - _ . / # :).", JsonSchemaType.String, false),
        ("deidentify", "Rewrite the stored EDF header's patient and recording identification (default from configuration: true).", JsonSchemaType.Boolean, false),
    ];

    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = StudyEndpoints.IdempotencyHeader,
            In = ParameterLocation.Header,
            Description = "Retry key of the caller (1–200 characters; IETF idempotency-key draft): the same key with the same request (file and settings) gets the first response again; with another request, 422; while the first is still processed, 409 with Retry-After.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
        foreach ((string name, string description, JsonSchemaType type, bool many) in Query)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Query,
                Description = description + " Also accepted as a multipart form field of the same name.",
                Schema = many ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = type } } : new OpenApiSchema { Type = type },
            });
        }

        return Task.CompletedTask;
    }
}
