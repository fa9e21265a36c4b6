using Microsoft.Extensions.Options;

using SleepScoring.Api.Security;
using SleepScoring.Api.Storage;

namespace SleepScoring.Api.Hosting;

/// <summary>
/// <c>dotnet run --project src/SleepScoring.Api -- keys issue --role admin --name NAME</c> (prints the
/// new key once) and <c>keys revoke --id KEY_ID</c>: the way to the first admin key. Uses the same
/// configuration as the service (appsettings, environment such as <c>Storage__DataDirectory</c>).
/// </summary>
public static class KeyCommand
{
    private const string Usage = "usage: keys issue --role <technician|clinician|integration|admin> --name <name> | keys revoke --id <key id>";

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        WebApplicationBuilder builder = ServiceSetup.CreateBuilder([]);
        StorageOptions storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        using var folder = new DataFolder(Path.GetFullPath(storage.DataDirectory, builder.Environment.ContentRootPath));
        var database = new Database(folder.DatabasePath);
        await Migrator.MigrateAsync(database).ConfigureAwait(false);
        IApiKeyStore keys = new ApiKeyStore(database, TimeProvider.System);
        Dictionary<string, string> options = [];
        for (int i = 1; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        switch (args.FirstOrDefault())
        {
            case "issue" when options.TryGetValue("--role", out string? role) && Roles.All.Contains(role) && options.TryGetValue("--name", out string? name):
                IssuedKey issued = await keys.IssueAsync(name, role).ConfigureAwait(false);
                output.WriteLine($"id: {issued.Id}");
                output.WriteLine($"role: {issued.Role}");
                output.WriteLine($"key: {issued.Key}");
                if (issued.CallbackSecret is not null)
                {
                    output.WriteLine($"callback secret: {issued.CallbackSecret}");
                }

                output.WriteLine($"(stored as SHA-256 in {folder.DatabasePath}; the key is not shown again)");
                return 0;
            case "revoke" when options.TryGetValue("--id", out string? id):
                bool revoked = await keys.RevokeAsync(id).ConfigureAwait(false);
                output.WriteLine(revoked ? $"revoked {id}" : $"no active key {id}");
                return revoked ? 0 : 2;
            default:
                output.WriteLine(Usage);
                return 1;
        }
    }
}
