using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SleepScoring.Api.Hosting;

/// <summary>Declares the API key scheme (X-Api-Key header) in the OpenAPI document, and its title.</summary>
internal sealed class ApiKeySecurityTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "SleepScoring API";
        document.Servers = []; // the host is wherever the service runs; keeps the checked-in document stable
        document.Info.Description = "Upload polysomnography studies (EDF), score them in the background, read and correct explained hypnograms. Every /api/v1 endpoint needs an API key in X-Api-Key or Authorization: Bearer.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["ApiKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = Security.ApiKeyAuthenticationHandler.HeaderName,
            Description = "An API key issued by an admin (keys issue, or POST /api/v1/keys).",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", document)] = [] });
        return Task.CompletedTask;
    }
}
