namespace SleepScoring.Api.Hosting;

/// <summary>The <c>Scoring</c> configuration section: the model and the background worker.</summary>
public sealed class ScoringOptions
{
    public const string Section = "Scoring";

    /// <summary>Folder with model-card.json and the ONNX graphs; empty: the repository's <c>models/</c> found upward from the content root and the app folder.</summary>
    public string? ModelDirectory { get; set; }

    /// <summary>Studies scored at once (each holds one model and one night in memory).</summary>
    public int Concurrency { get; set; } = 1;

    /// <summary>
    /// Attempts of a job before it fails for good (transient errors only are retried). With the
    /// default delays, 8 attempts span about 10 minutes: a storage fault of a few minutes is ridden out.
    /// </summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First retry delay; doubled for each further attempt, up to <see cref="RetryDelayCap"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait between two attempts.</summary>
    public TimeSpan RetryDelayCap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Times the service may die (crash, kill, out of memory) while scoring one study before the
    /// study fails for good: a file that takes the process down must not do so in a loop.
    /// </summary>
    public int MaxInterruptions { get; set; } = 3;

    /// <summary>How often an idle worker looks for due jobs.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a claimed job stays this node's without a renewal (renewed every third of it while
    /// scoring). A node that dies holds its jobs this long; then another node takes them over.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>False: this node claims no jobs (it serves HTTP only; other nodes score).</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>The <c>Storage</c> configuration section: where the database and the study files live.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Data folder (database + files); relative paths are under the content root. Default <c>data</c>.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Largest accepted upload in bytes (default 2 GB).</summary>
    public long MaxUploadBytes { get; set; } = 2L << 30;

    /// <summary>How long a database statement waits for another writer before the request answers 503 with Retry-After.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>The <c>Security</c> configuration section.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>
    /// When set (e.g. env <c>Security__BootstrapAdminKey</c>), an admin key with this secret exists at
    /// start: at least 32 random characters (<see cref="BootstrapKeyRule"/>); a changed one revokes the previous.
    /// </summary>
    public string? BootstrapAdminKey { get; set; }

    /// <summary>De-identify the stored EDF header unless the upload says otherwise.</summary>
    public bool DeidentifyByDefault { get; set; } = true;

    /// <summary>How many failed authentications a client may make per window.</summary>
    public FailedAuthenticationOptions FailedAuthentication { get; set; } = new();
}

/// <summary>The <c>Security:FailedAuthentication</c> limit (per client address).</summary>
public sealed class FailedAuthenticationOptions
{
    /// <summary>Failed authentications allowed per window; then 429 until the window ends.</summary>
    public int PermitLimit { get; set; } = 20;

    /// <summary>The window.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>The <c>Callbacks</c> configuration section.</summary>
public sealed class CallbackOptions
{
    public const string Section = "Callbacks";

    /// <summary>Delivery attempts per callback.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>First retry delay; doubled for each further attempt.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time limit of one delivery attempt.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an idle node looks for callbacks to send (a node that finishes a study sends its callback at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Deliveries in flight at once: a dead receiver holds one of them, not the others.</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>
    /// Host names, addresses or CIDR ranges (e.g. <c>hospital.local</c>, <c>10.20.0.0/16</c>) that callbacks may
    /// reach although they are loopback, private or link-local. Empty: public addresses only.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];
}
