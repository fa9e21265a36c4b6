using System.Net;
using System.Net.Sockets;

namespace SleepScoring.Testbed;

/// <summary>Free TCP ports on 127.0.0.1 for throw-away servers.</summary>
public static class LoopbackPort
{
    /// <summary>A port nothing listens on now (the OS picks it; another process may take it before the caller binds, which is rare enough for tests and benchmarks).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
