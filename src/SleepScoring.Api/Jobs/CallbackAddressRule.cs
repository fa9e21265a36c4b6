using System.Net;
using System.Net.Sockets;

using Microsoft.Extensions.Options;

using SleepScoring.Api.Hosting;

namespace SleepScoring.Api.Jobs;

/// <summary>The callback's host resolved to an address the service does not post to (loopback, private, link-local).</summary>
public sealed class CallbackAddressRefusedException(string message) : IOException(message);

/// <summary>
/// Where callbacks may go (against SSRF: a caller must not make the service post into its own
/// network): public addresses, and loopback, private, link-local, CGNAT or unspecified ones only
/// when <c>Callbacks:AllowedHosts</c> lists the host name, the address or a CIDR range holding it.
/// Checked twice: on the URL at upload (literal addresses and <c>localhost</c> names), and on every
/// address the name resolves to when a delivery connects (so DNS cannot point a public-looking
/// name inward, and no redirect is followed).
/// </summary>
public sealed class CallbackAddressRule(IOptions<CallbackOptions> options)
{
    private readonly string[] hosts = [.. options.Value.AllowedHosts.Where(h => !h.Contains('/', StringComparison.Ordinal))];
    private readonly IPNetwork[] networks = [.. options.Value.AllowedHosts.Select(h => IPNetwork.TryParse(h, out IPNetwork n) ? (IPNetwork?)n : null).OfType<IPNetwork>()];

    /// <summary>Why a callback URL is refused at upload, or null when it may be used.</summary>
    public string? Problem(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        string host = url.IdnHost.TrimEnd('.');
        if (IsAllowedName(host))
        {
            return null;
        }

        bool internalName = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
        bool internalAddress = IPAddress.TryParse(host, out IPAddress? address) && IsInternal(address) && !IsAllowedAddress(address);
        return internalName || internalAddress
            ? $"callback_url must be reachable on a public address; '{host}' is loopback, private or link-local (an admin may allow it in Callbacks:AllowedHosts)"
            : null;
    }

    /// <summary>Connects to <paramref name="endpoint"/>, refusing every internal address the configuration does not allow.</summary>
    public async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        bool nameAllowed = IsAllowedName(endpoint.Host.TrimEnd('.'));
        IPAddress[] addresses = IPAddress.TryParse(endpoint.Host, out IPAddress? literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        IPAddress[] permitted = [.. addresses.Where(a => nameAllowed || !IsInternal(a) || IsAllowedAddress(a))];
        if (permitted.Length == 0)
        {
            throw new CallbackAddressRefusedException($"refused: {endpoint.Host} resolves only to loopback, private or link-local addresses");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(permitted, endpoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Not a public unicast address: loopback, private (RFC 1918, ULA), link-local, CGNAT, unspecified, multicast, or another IANA special-purpose range.</summary>
    public static bool IsInternal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            byte first = address.GetAddressBytes()[0];
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (first & 0xFE) == 0xFC; // fc00::/7
        }

        byte[] b = address.GetAddressBytes();
        return b[0] is 0 or 10 or 127 || b[0] >= 224 // this network, private, loopback, multicast and reserved
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254) // link-local (cloud metadata services live here)
            || (b[0] == 100 && b[1] is >= 64 and <= 127) // CGNAT
            || (b[0] == 192 && ((b[1] == 0 && b[2] is 0 or 2) || (b[1] == 88 && b[2] == 99))) // IETF protocol assignments, TEST-NET-1, 6to4 relay
            || (b[0] == 198 && (b[1] is 18 or 19 || (b[1] == 51 && b[2] == 100))) // benchmarking, TEST-NET-2
            || (b[0] == 203 && b[1] == 0 && b[2] == 113); // TEST-NET-3
    }

    private bool IsAllowedName(string host) => hosts.Contains(host, StringComparer.OrdinalIgnoreCase);

    private bool IsAllowedAddress(IPAddress address) =>
        hosts.Contains(address.ToString(), StringComparer.OrdinalIgnoreCase) || networks.Any(n => n.Contains(address));
}
