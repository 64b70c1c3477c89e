using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EtatMajor.Modules.Audit.Domain;

/// <summary>A signed checkpoint: the chain's head at a moment, chained to the previous checkpoint's signature.</summary>
internal sealed class Checkpoint
{
    public long Number { get; set; }
    public long FromSeq { get; set; }
    public long ToSeq { get; set; }
    public long Count { get; set; }
    public string HeadHash { get; set; } = "";
    public string CreatedAt { get; set; } = "";
    public string? PreviousSignature { get; set; }
    public string KeyId { get; set; } = "";
    public string Signature { get; set; } = "";

    public byte[] Canonical()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("number", Number);
            json.WriteNumber("fromSeq", FromSeq);
            json.WriteNumber("toSeq", ToSeq);
            json.WriteNumber("count", Count);
            json.WriteString("headHash", HeadHash);
            json.WriteString("createdAt", CreatedAt);
            if (PreviousSignature is null)
            {
                json.WriteNull("previousSignature");
            }
            else
            {
                json.WriteString("previousSignature", PreviousSignature);
            }
            json.WriteString("keyId", KeyId);
            json.WriteEndObject();
        }
        return stream.ToArray();
    }
}

/// <summary>ECDSA P-256 with SHA-256 (IEEE P1363 signature, base64); the key id is derived from the public key.</summary>
internal static class CheckpointSignatures
{
    public const string Algorithm = "ES256";

    public static string KeyId(ECDsa key) =>
        Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];

    public static string PublicKeyPem(ECDsa key) => key.ExportSubjectPublicKeyInfoPem();

    public static string Sign(ECDsa key, Checkpoint checkpoint) => Sign(key, checkpoint.Canonical());

    public static string Sign(ECDsa key, byte[] canonical) => Convert.ToBase64String(key.SignData(canonical, HashAlgorithmName.SHA256));

    public static bool Verify(string publicKeyPem, Checkpoint checkpoint) =>
        Verify(publicKeyPem, checkpoint.KeyId, checkpoint.Canonical(), checkpoint.Signature);

    /// <summary>True when <paramref name="signature"/> is the signature of <paramref name="canonical"/> by the key of that PEM and id.</summary>
    public static bool Verify(string publicKeyPem, string keyId, byte[] canonical, string signature)
    {
        try
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(publicKeyPem);
            return KeyId(key) == keyId && key.VerifyData(canonical, Convert.FromBase64String(signature), HashAlgorithmName.SHA256);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return false;
        }
    }

    private const string PemEnd = "-----END PUBLIC KEY-----";

    /// <summary>The PEM public key blocks of a text (GET /api/v1/audit/keys lists them one after the other).</summary>
    public static List<string> PemBlocks(string text) =>
        text.Split(PemEnd, StringSplitOptions.RemoveEmptyEntries)
            .Where(part => part.Contains("-----BEGIN PUBLIC KEY-----", StringComparison.Ordinal))
            .Select(part => part.Trim() + "\n" + PemEnd)
            .ToList();

    public static ECDsa Load(string pemPath)
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(pemPath, Encoding.UTF8));
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new CryptographicException("The checkpoint signing key must be an ECDSA P-256 key.");
        }
        return key;
    }
}
