using EtatMajor.SharedKernel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace EtatMajor.Modules.FollowUp.Domain;

/// <summary>
/// `FollowUp:ReviewIntervalMonths` (default 6, DES-6: an open follow-up is reviewed at least that often),
/// `FollowUp:RetentionDaysAfterClosure` (default 365, DES-6: set it from the authorising act), and
/// `FollowUp:IdentityKey` (base64, at least 32 bytes): the key of the keyed hash that recognises a person already
/// designated without storing the identity twice. Required outside Development and Testing; those use a fixed
/// development key, which protects nothing.
/// </summary>
internal sealed record FollowUpOptions(int ReviewIntervalMonths, int RetentionDaysAfterClosure, byte[] IdentityKey)
{
    public const string IdentityKeySetting = "FollowUp:IdentityKey";

    private static readonly byte[] DevelopmentKey = "etatmajor-development-identity-key-not-a-secret"u8.ToArray();

    public static bool KeyRequired(IHostEnvironment environment) => !environment.IsDevelopment() && !environment.IsEnvironment("Testing");

    public static IEnumerable<string> MissingProductionSettings(IConfiguration configuration, IHostEnvironment environment) =>
        KeyRequired(environment) && string.IsNullOrEmpty(configuration[IdentityKeySetting])
            ? [$"{IdentityKeySetting} (FollowUp__IdentityKey): a random key of at least 32 bytes in base64, that recognises a person already designated (openssl rand -base64 32)"]
            : [];

    public static FollowUpOptions From(IConfiguration configuration, IHostEnvironment environment)
    {
        var review = configuration.GetValue("FollowUp:ReviewIntervalMonths", 6);
        var retention = configuration.GetValue("FollowUp:RetentionDaysAfterClosure", 365);
        if (review is < 1 or > 24)
        {
            throw new StartupConfigurationException("FollowUp:ReviewIntervalMonths must be between 1 and 24 (DES-6: an open follow-up is reviewed periodically).");
        }
        if (retention < 1)
        {
            throw new StartupConfigurationException("FollowUp:RetentionDaysAfterClosure must be at least 1 (the retention set by the authorising act, DES-6).");
        }
        var configured = configuration[IdentityKeySetting];
        byte[] key;
        if (string.IsNullOrEmpty(configured))
        {
            key = DevelopmentKey;
        }
        else
        {
            try
            {
                key = Convert.FromBase64String(configured);
            }
            catch (FormatException)
            {
                throw new StartupConfigurationException($"{IdentityKeySetting} must be base64 (openssl rand -base64 32).");
            }
            if (key.Length < 32)
            {
                throw new StartupConfigurationException($"{IdentityKeySetting} must hold at least 32 bytes.");
            }
        }
        return new FollowUpOptions(review, retention, key);
    }
}
