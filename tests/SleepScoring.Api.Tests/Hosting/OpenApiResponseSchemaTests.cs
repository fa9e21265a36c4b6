using System.Text.Json.Nodes;

using SleepScoring.Tests.Common;

namespace SleepScoring.Api.Tests.Hosting;

/// <summary>
/// The checked-in <c>schemas/openapi.json</c> (kept equal to the served document by
/// <see cref="OpenApiDocumentTests"/>) gives every response body a real schema: what integrators
/// generate clients from. Read from the file, as they read it.
/// </summary>
public sealed class OpenApiResponseSchemaTests
{
    private static readonly string[] SchemaKeywords = ["$ref", "type", "allOf", "oneOf", "anyOf", "enum", "const", "properties", "items"];

    private static readonly JsonObject Document = Load("openapi.json");

    private static JsonObject Components => Document["components"]!["schemas"]!.AsObject();

    [Fact]
    public void EveryResponse_HasAMediaTypeWithANonEmptySchema()
    {
        var offenders = new List<string>();
        foreach ((string path, JsonNode? operations) in Document["paths"]!.AsObject())
        {
            foreach ((string method, JsonNode? operation) in operations!.AsObject())
            {
                foreach ((string status, JsonNode? response) in operation!["responses"]!.AsObject())
                {
                    string where = $"{method.ToUpperInvariant()} {path} {status}";
                    if (status == "204")
                    {
                        continue; // no body by definition
                    }

                    if (response!["content"] is not JsonObject { Count: > 0 } content)
                    {
                        offenders.Add($"{where}: no content (media type and schema)");
                        continue;
                    }

                    foreach ((string mediaType, JsonNode? media) in content)
                    {
                        if (Problem(media?["schema"]) is string problem)
                        {
                            offenders.Add($"{where} {mediaType}: {problem}");
                        }
                    }
                }
            }
        }

        Assert.True(offenders.Count == 0, "responses without a real schema:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void ScoredStudy_IsThePublishedContract_WithItsDefinitionsAsComponents()
    {
        JsonObject contract = Load("scored-study.schema.json");
        JsonObject scored = Components["ScoredStudy"]!.AsObject();

        Assert.Equal(Names(contract["properties"]), Names(scored["properties"]));
        Assert.Equal(Strings(contract["required"]), Strings(scored["required"]));
        foreach ((string name, JsonNode? _) in contract["definitions"]!.AsObject())
        {
            Assert.True(Components.ContainsKey("ScoredStudy" + char.ToUpperInvariant(name[0]) + name[1..]), $"the contract's definition '{name}' is not a component");
        }

        Assert.DoesNotContain("#/definitions/", Document.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("#/components/schemas/ScoredStudy", Document["paths"]!["/api/v1/studies/{id}/hypnogram"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
    }

    [Fact]
    public void StatisticsAndEpochRecords_HaveTheContractsFields()
    {
        JsonObject contract = Load("scored-study.schema.json");
        JsonNode statistics = contract["properties"]!["statistics"]!;
        JsonNode epoch = contract["properties"]!["epochs"]!["items"]!;

        Assert.Equal(Names(statistics["properties"]), Names(Components["StatisticsDto"]!["properties"]));
        Assert.Equal("#/components/schemas/StatisticsDto", Components["StagesDocumentDto"]!["properties"]!["statistics"]!["$ref"]!.GetValue<string>());
        Assert.Equal([.. Names(epoch["properties"]).Append("model_stage").Append("scorer_stage").Order(StringComparer.Ordinal)], Names(Components["EpochDetailDto"]!["properties"]));
        Assert.Equal(Names(contract["definitions"]!["saliency"]!["properties"]), Names(Components["SaliencyDto"]!["properties"]));
    }

    /// <summary>Why a schema is no schema (missing, <c>{}</c>, or a reference to nothing), or null.</summary>
    private static string? Problem(JsonNode? schema)
    {
        if (schema is not JsonObject o || !SchemaKeywords.Any(o.ContainsKey))
        {
            return "empty or missing schema";
        }

        if (o["$ref"]?.GetValue<string>() is string reference)
        {
            string name = reference.Split('/')[^1];
            return Components[name] is JsonObject target && SchemaKeywords.Any(target.ContainsKey) ? null : $"{reference} is missing or empty";
        }

        return null;
    }

    private static string[] Names(JsonNode? properties) => [.. properties!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)];

    private static string[] Strings(JsonNode? array) => [.. array!.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal)];

    private static JsonObject Load(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "schemas", name)))!.AsObject();
}
