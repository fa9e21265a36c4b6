using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

using SleepScoring.Api.Security;
using SleepScoring.Api.Storage;

namespace SleepScoring.Api.Hosting;

/// <summary>Where the first-start sign-in link is printed: the process's console (stdout), never the structured log.</summary>
public sealed class SignInConsole(TextWriter writer)
{
    public TextWriter Writer { get; } = writer;
}

/// <summary>
/// On a start with no API key at all (and no bootstrap key configured), prints a one-time sign-in
/// link for this machine once Kestrel listens: <c>http://127.0.0.1:PORT/signin#token=…</c>. The
/// token sits in the URL fragment, which browsers never send to a server, so it does not reach
/// access logs or Referer headers; it works once, for <see cref="SignInLinkStore.Lifetime"/>, and
/// only from a loopback address. Of nodes sharing PostgreSQL, only the first to start prints a link
/// (<see cref="SignInLinkStore.CreateForFirstStartAsync"/>); the others say another node printed it.
/// </summary>
public sealed class FirstStartSignIn(
    IHostApplicationLifetime lifetime,
    IServer server,
    ISignInLinkStore links,
    SignInConsole console,
    IOptions<SecurityOptions> security,
    IOptions<DatabaseOptions> database,
    ILogger<FirstStartSignIn> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(security.Value.BootstrapAdminKey))
        {
            lifetime.ApplicationStarted.Register(() => _ = PrintAsync(lifetime.ApplicationStopping));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The link's origin: the first http address Kestrel listens on, as loopback.</summary>
    public static string LoopbackOrigin(IEnumerable<string> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        foreach (string address in addresses.OrderBy(a => a.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? 1 : 0))
        {
            string normalized = address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal);
            if (Uri.TryCreate(normalized, UriKind.Absolute, out Uri? uri))
            {
                string host = uri.Host is "0.0.0.0" or "[::]" or "localhost" ? "127.0.0.1" : uri.Host; // wildcard binds answer on loopback too
                return $"{uri.Scheme}://{host}:{uri.Port}";
            }
        }

        return "http://127.0.0.1:8080";
    }

    private async Task PrintAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Nodes sharing PostgreSQL start together: one prints the link, the others say where it is.
            bool shared = database.Value.Provider == DatabaseProvider.PostgreSql;
            FirstStartLink? link = await links.CreateForFirstStartAsync(keepLiveLink: shared, cancellationToken).ConfigureAwait(false);
            if (link is null)
            {
                return;
            }

            TextWriter w = console.Writer;
            if (link.Token is null)
            {
                await w.WriteLineAsync(
                    $"""

                    SleepScoring has no API keys yet. Another node of this deployment printed the one-time sign-in
                    link on its console; it works until {link.PrintedElsewhereUntil:HH:mm} UTC, only on that node's machine.
                    Once it has expired, restart a node for a new link.

                    """).ConfigureAwait(false);
                await w.FlushAsync(cancellationToken).ConfigureAwait(false);
                logger.LogInformation("No API keys: another node printed the one-time sign-in link (valid until {Expires:O})", link.PrintedElsewhereUntil);
                return;
            }

            string token = link.Token;
            string origin = LoopbackOrigin(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
            await w.WriteLineAsync(
                $"""

                SleepScoring has no API keys yet. Open this one-time sign-in link in a browser on this machine
                within {SignInLinkStore.Lifetime.TotalMinutes:0} minutes (it works once, and only from this machine):

                    {origin}/signin#token={token}

                It gives that browser tab an admin key; issue technician and clinician keys on its Keys page.
                Restarting the service prints a new link (the old one stops working) until a key exists;
                with several nodes on one PostgreSQL, only once this one has expired.

                """).ConfigureAwait(false);
            await w.FlushAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("No API keys: printed a one-time sign-in link on the console (valid {Minutes} min)", SignInLinkStore.Lifetime.TotalMinutes);
        }
        catch (Exception e) when (e is OperationCanceledException or System.Data.Common.DbException or IOException)
        {
            logger.LogWarning("Could not print the first-start sign-in link: {Error}", e.GetType().Name);
        }
    }
}
