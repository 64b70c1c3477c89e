using EtatMajor.SharedKernel;
using Microsoft.Extensions.Configuration;

namespace EtatMajor.Modules.Exchange.Domain;

/// <summary>
/// `Exchange:MaxAttachmentBytes` (default 10 MiB), `Exchange:MaxAttachments` (default 10), and
/// `Exchange:RetentionDays` (default 365, DATA-2: set it from the authorising act).
/// </summary>
internal sealed record ExchangeOptions(long MaxAttachmentBytes, int MaxAttachments, int RetentionDays = 365)
{
    public const int MaxRecipients = 50;
    public const int MaxSubject = 200;
    public const int MaxBody = 100_000;

    public static ExchangeOptions From(IConfiguration configuration)
    {
        var options = new ExchangeOptions(configuration.GetValue("Exchange:MaxAttachmentBytes", 10L * 1024 * 1024), configuration.GetValue("Exchange:MaxAttachments", 10),
            configuration.GetValue("Exchange:RetentionDays", 365));
        return options.RetentionDays >= 1
            ? options
            : throw new StartupConfigurationException("Exchange:RetentionDays must be at least 1 (the retention of exchanges set by the authorising act, DATA-2).");
    }

    /// <summary>The body limit of the endpoints that carry attachments: all of them in base64, plus the text.</summary>
    public long RequestBodyLimit => MaxAttachments * MaxAttachmentBytes * 4 / 3 + 2 * 1024 * 1024;
}
