using System.Text.Json;

using FluentValidation;

using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

using Scalar.AspNetCore;

using SleepScoring.Api.Endpoints;
using SleepScoring.Api.Ingest;
using SleepScoring.Api.Jobs;
using SleepScoring.Api.Scored;
using SleepScoring.Api.Security;
using SleepScoring.Api.Storage;
using SleepScoring.Api.Storage.PostgreSql;
using SleepScoring.Api.Storage.Sql;

namespace SleepScoring.Api.Hosting;

/// <summary>Registers the service's parts and maps its endpoints.</summary>
public static class ServiceSetup
{
    /// <summary>
    /// The builder of the service and of its <c>keys</c> command: configuration (appsettings.json)
    /// and relative paths (the default data folder) come from the app's own folder, whatever the
    /// working directory, unless a content root is given explicitly (<c>--contentRoot</c>,
    /// <c>ASPNETCORE_CONTENTROOT</c>, or a test host).
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        bool explicitRoot = args.Any(a => a.Contains("contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"));
        return WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = explicitRoot ? null : AppContext.BaseDirectory });
    }

    /// <summary>Services, options, authentication, authorization, OpenAPI.</summary>
    public static void AddSleepScoring(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        DefaultTypeMapConfiguration.Apply();
        ResponseHeaders.RaiseKestrelLimits(builder);
        IServiceCollection services = builder.Services;
        services.Configure<ScoringOptions>(builder.Configuration.GetSection(ScoringOptions.Section));
        services.Configure<StorageOptions>(builder.Configuration.GetSection(StorageOptions.Section));
        services.AddOptions<DatabaseOptions>().Bind(builder.Configuration.GetSection(DatabaseOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsRule>();
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<SecurityOptions>().Bind(builder.Configuration.GetSection(SecurityOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, BootstrapKeyRule>();
        services.AddSingleton<AuthenticationThrottle>();
        services.Configure<CallbackOptions>(builder.Configuration.GetSection(CallbackOptions.Section));

        services.AddSingleton(sp => new DataFolder(Path.GetFullPath(sp.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory, builder.Environment.ContentRootPath)));
        services.AddSingleton(sp => new Database(sp.GetRequiredService<DataFolder>().DatabasePath, sp.GetRequiredService<IOptions<StorageOptions>>().Value.BusyTimeout, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IApiKeyStore, ApiKeyStore>();
        services.AddSingleton<IStudyStore, StudyStore>();
        services.AddSingleton<IIdempotencyStore, IdempotencyStore>();
        services.AddSingleton<ISqlDatabase>(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value is { Provider: DatabaseProvider.PostgreSql } postgres
            ? new PostgresDatabase(postgres.ConnectionString!, sp.GetRequiredService<TimeProvider>())
            : sp.GetRequiredService<Database>());
        services.AddSingleton<ICallbackOutbox, CallbackOutbox>();
        services.AddSingleton<IJobStore, JobStore>();
        services.AddSingleton<ICorrectionStore, CorrectionStore>();
        services.AddSingleton<ISignOffStore, SignOffStore>();
        services.AddSingleton<ISignInLinkStore, SignInLinkStore>();
        services.AddSingleton(new SignInConsole(Console.Out));
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ForbiddenProblemHandler>();
        services.AddSingleton<IResultStore, ResultStore>();
        services.AddSingleton<ResultWriter>();
        services.AddSingleton<StudyIngest>();
        services.AddSingleton<ModelProvider>();
        services.AddSingleton<IScoringEngineFactory, ModelScoringEngineFactory>();
        services.AddSingleton<CallbackDispatcher>();
        services.AddSingleton<CallbackAddressRule>();
        services.AddHttpClient(CallbackDispatcher.HttpClientName).ConfigurePrimaryHttpMessageHandler(sp =>
        {
            CallbackAddressRule rule = sp.GetRequiredService<CallbackAddressRule>();
            return new SocketsHttpHandler { AllowAutoRedirect = false, ConnectCallback = (context, cancellationToken) => rule.ConnectAsync(context.DnsEndPoint, cancellationToken) };
        });

        // Order matters: migrations before the callback dispatcher and the worker touch the database.
        services.AddHostedService<StartupTasks>();
        services.AddHostedService(sp => sp.GetRequiredService<CallbackDispatcher>());
        services.AddHostedService<ScoringWorker>();
        services.AddHostedService<FirstStartSignIn>();

        services.AddValidatorsFromAssemblyContaining<UploadMetadataValidator>(includeInternalTypes: false);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Policies.Upload, p => p.RequireRole(Roles.Technician, Roles.Integration, Roles.Admin))
            .AddPolicy(Roles.Policies.Read, p => p.RequireRole(Roles.All))
            .AddPolicy(Roles.Policies.Correct, p => p.RequireRole(Roles.Technician, Roles.Clinician))
            .AddPolicy(Roles.Policies.SignOff, p => p.RequireRole(Roles.Clinician))
            .AddPolicy(Roles.Policies.Rescore, p => p.RequireRole(Roles.Technician, Roles.Admin))
            .AddPolicy(Roles.Policies.Admin, p => p.RequireRole(Roles.Admin));
        services.AddOpenApi(o => o.AddDocumentTransformer<ApiKeySecurityTransformer>().AddDocumentTransformer<ScoredStudyContract>().AddSchemaTransformer<StudyErrorSchema>());
    }

    /// <summary>Middleware and endpoints.</summary>
    public static void MapSleepScoring(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        ResponseHeaders.Use(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapOpenApi();
        app.MapScalarApiReference();
        OperationsEndpoints.Map(app);
        StudyEndpoints.Map(app);
        ResultEndpoints.Map(app);
        CorrectionEndpoints.Map(app);
        ReviewEndpoints.Map(app);
        SignalEndpoints.Map(app);
        ReportEndpoints.Map(app);
        SessionEndpoints.Map(app);
        ProgressEndpoints.Map(app);
        // The workstation's deep links are pages of the one-page app.
        app.MapFallbackToFile("/review/{**path}", "index.html");
        app.MapFallbackToFile("/signin", "index.html");
        app.MapFallbackToFile("/keys", "index.html");
        app.MapFallbackToFile("/report/{**path}", "index.html");
        AdminEndpoints.Map(app);
    }
}

/// <summary>Dapper maps snake_case columns to PascalCase properties.</summary>
internal static class DefaultTypeMapConfiguration
{
    public static void Apply() => Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
}
