using System.Collections.Concurrent;
using System.Net;

using SleepScoring.Testbed;

namespace SleepScoring.Api.Tests.Support;

/// <summary>One callback as the receiver got it.</summary>
internal sealed record CallbackRequest(byte[] Body, string? Signature, string? EventId, HttpStatusCode Answered);

/// <summary>A hospital system's callback endpoint on 127.0.0.1: answers each POST with the next scripted status and records it.</summary>
internal sealed class CallbackReceiver : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Queue<HttpStatusCode> statuses;
    private readonly Task loop;

    public CallbackReceiver(params HttpStatusCode[] statuses)
    {
        this.statuses = new Queue<HttpStatusCode>(statuses);
        int port = LoopbackPort.Free();
        Url = $"http://127.0.0.1:{port}/hook/";
        listener.Prefixes.Add(Url);
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>Every request: body, signature and event id headers, in arrival order.</summary>
    public ConcurrentQueue<CallbackRequest> Received { get; } = new();

    /// <summary>Runs once a request is recorded, before it is answered (e.g. to kill the sender then): gets the request's number from 1.</summary>
    public Action<int>? BeforeAnswer { get; set; }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        _ = loop.Exception; // observed: the loop ends with the listener
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            HttpStatusCode status;
            lock (statuses)
            {
                status = statuses.Count > 0 ? statuses.Dequeue() : HttpStatusCode.OK;
            }

            Received.Enqueue(new CallbackRequest(body.ToArray(), context.Request.Headers["X-SleepScoring-Signature"], context.Request.Headers["X-SleepScoring-Event-Id"], status));
            BeforeAnswer?.Invoke(Received.Count);
            context.Response.StatusCode = (int)status;
            context.Response.Close();
        }
    }
}
