using System.Security.Cryptography;
using EtatMajor.SharedKernel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace EtatMajor.Modules.Audit.Domain;

/// <summary>
/// `Audit:CheckpointInterval` (default 00:05:00), `Audit:RetentionDays` (default 1095), `Audit:SigningKey:Path`, and
/// `Audit:CheckpointSink`: a directory outside the database (another volume, a WORM store) where each signed checkpoint
/// is also written, one file each, never overwritten.
/// </summary>
internal sealed record AuditOptions(TimeSpan CheckpointInterval, int RetentionDays, string? CheckpointSink = null)
{
    public static AuditOptions From(IConfiguration configuration)
    {
        var interval = configuration.GetValue("Audit:CheckpointInterval", TimeSpan.FromMinutes(5));
        var retention = configuration.GetValue("Audit:RetentionDays", 1095);
        if (interval <= TimeSpan.Zero)
        {
            throw new StartupConfigurationException("Audit:CheckpointInterval must be a positive duration such as 00:05:00.");
        }
        if (retention < 1)
        {
            throw new StartupConfigurationException("Audit:RetentionDays must be at least 1.");
        }
        var sink = configuration["Audit:CheckpointSink"];
        return new AuditOptions(interval, retention, string.IsNullOrWhiteSpace(sink) ? null : Path.GetFullPath(sink));
    }
}

/// <summary>
/// The checkpoint signing key: an ECDSA P-256 private key in PEM (`Audit:SigningKey:Path`), required outside
/// Development and Testing; an ephemeral key otherwise (its public key is kept in aud_keys, so its checkpoints
/// stay verifiable after a restart).
/// </summary>
internal sealed class CheckpointKey : IDisposable
{
    public CheckpointKey(IConfiguration configuration, IHostEnvironment environment)
    {
        var path = configuration["Audit:SigningKey:Path"];
        if (string.IsNullOrEmpty(path))
        {
            if (Required(environment))
            {
                throw new StartupConfigurationException(
                    $"The API refuses to start in the {environment.EnvironmentName} environment without the access-log signing key. Missing setting: " +
                    "Audit:SigningKey:Path (Audit__SigningKey__Path), an ECDSA P-256 private key in PEM " +
                    "(openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt).");
            }
            Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            Ephemeral = true;
        }
        else
        {
            try
            {
                Key = CheckpointSignatures.Load(path);
            }
            catch (Exception e) when (e is IOException or CryptographicException or ArgumentException or UnauthorizedAccessException)
            {
                throw new StartupConfigurationException($"Audit:SigningKey:Path '{path}' cannot be read as an ECDSA P-256 PEM key: {e.Message}");
            }
        }
        KeyId = CheckpointSignatures.KeyId(Key);
        PublicKeyPem = CheckpointSignatures.PublicKeyPem(Key);
        Trusted[KeyId] = PublicKeyPem;
        // The keys that signed before a rotation: the operator's file, never the database (whoever writes to it could add one).
        if (configuration["Audit:PreviousPublicKeys:Path"] is { Length: > 0 } previous)
        {
            try
            {
                foreach (var pem in CheckpointSignatures.PemBlocks(File.ReadAllText(previous)))
                {
                    using var old = ECDsa.Create();
                    old.ImportFromPem(pem);
                    Trusted[CheckpointSignatures.KeyId(old)] = pem;
                }
            }
            catch (Exception e) when (e is IOException or CryptographicException or ArgumentException or UnauthorizedAccessException)
            {
                throw new StartupConfigurationException($"Audit:PreviousPublicKeys:Path '{previous}' cannot be read as PEM public keys: {e.Message}");
            }
        }
    }

    /// <summary>No key configured (Development, Testing): a new key at each start, whose earlier ones only aud_keys knows.</summary>
    public bool Ephemeral { get; }

    /// <summary>
    /// The public keys the server trusts to check signatures (checkpoints, purge permits): its own and the operator's
    /// previous ones — with an ephemeral key, also those aud_keys lists (Development only: there, the database is the
    /// only memory of the keys of earlier starts).
    /// </summary>
    public Dictionary<string, string> Trusted { get; } = [];

    public Func<string, string?> TrustedWith(IReadOnlyDictionary<string, string> published) =>
        keyId => Trusted.GetValueOrDefault(keyId) ?? (Ephemeral ? published.GetValueOrDefault(keyId) : null);

    public static bool Required(IHostEnvironment environment) => !environment.IsDevelopment() && !environment.IsEnvironment("Testing");

    public ECDsa Key { get; }

    public string KeyId { get; }

    public string PublicKeyPem { get; }

    public void Dispose() => Key.Dispose();
}
