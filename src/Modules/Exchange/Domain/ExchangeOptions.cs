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

internal static class DocumentKinds
{
    public static readonly string[] Allowed = ["note", "meeting-minutes", "statistics", "follow-up-report", "correspondence", "other"];

    public static readonly string[] MediaTypes = ["application/pdf", "text/plain", "image/png", "image/jpeg"];

    /// <summary>The file name says what the content is: a reader opens a file by its extension.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Extensions = new Dictionary<string, string[]>
    {
        ["application/pdf"] = [".pdf"], ["text/plain"] = [".txt", ".csv"], ["image/png"] = [".png"], ["image/jpeg"] = [".jpg", ".jpeg"],
    };

    /// <summary>
    /// What a sender may declare: the allowed kinds, and the criminal-procedure kinds (accepted as input only so
    /// that the policy names them in its refusal, CONF-2; never stored).
    /// </summary>
    public static bool Known(string? kind) => kind is not null && (Allowed.Contains(kind) || CriminalProcedureDocuments.Kinds.Contains(kind));
}
