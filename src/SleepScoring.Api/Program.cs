using SleepScoring.Api.Hosting;

if (args is ["keys", ..])
{
    return await KeyCommand.RunAsync(args[1..], Console.Out).ConfigureAwait(false);
}

WebApplicationBuilder builder = ServiceSetup.CreateBuilder(args);
builder.AddSleepScoring();
WebApplication app = builder.Build();
app.MapSleepScoring();
await app.RunAsync().ConfigureAwait(false);
return 0;

/// <summary>The service's entry point (public for WebApplicationFactory).</summary>
public partial class Program;
