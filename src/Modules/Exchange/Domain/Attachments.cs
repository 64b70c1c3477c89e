using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Validation;
using Microsoft.Extensions.Configuration;

namespace EtatMajor.Modules.Exchange.Domain;

/// <summary>`Exchange:MaxAttachmentBytes` (default 10 MiB) and `Exchange:MaxAttachments` (default 10).</summary>
internal sealed record ExchangeOptions(long MaxAttachmentBytes, int MaxAttachments)
{
    public const int MaxRecipients = 50;
    public const int MaxSubject = 200;
    public const int MaxBody = 100_000;

    public static ExchangeOptions From(IConfiguration configuration) =>
        new(configuration.GetValue("Exchange:MaxAttachmentBytes", 10L * 1024 * 1024), configuration.GetValue("Exchange:MaxAttachments", 10));

    /// <summary>The body limit of the endpoints that carry attachments: all of them in base64, plus the text.</summary>
    public long RequestBodyLimit => MaxAttachments * MaxAttachmentBytes * 4 / 3 + 2 * 1024 * 1024;
}

internal static class DocumentKinds
{
    public static readonly string[] Allowed = ["note", "meeting-minutes", "statistics", "follow-up-report", "correspondence", "other"];

    /// <summary>Accepted as input so that the policy layer can name them in its refusal (CONF-2), never stored.</summary>
    public static readonly string[] Forbidden =
        ["proces-verbal", "requisition", "ordonnance", "commission-rogatoire", "expertise", "jugement", "copie-dossier-procedure", "extrait-casier-judiciaire"];

    public static readonly string[] MediaTypes = ["application/pdf", "text/plain", "image/png", "image/jpeg"];

    /// <summary>The file name says what the content is: a reader opens a file by its extension.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Extensions = new Dictionary<string, string[]>
    {
        ["application/pdf"] = [".pdf"], ["text/plain"] = [".txt", ".csv"], ["image/png"] = [".png"], ["image/jpeg"] = [".jpg", ".jpeg"],
    };
}

internal sealed record AttachmentInput(string? FileName, string? MediaType, string? DocumentKind, string? ContentBase64);

/// <summary>What an integrator sends (or checks): subject, body, recipients, attachments in base64.</summary>
internal sealed record ExchangeBody(string? Subject, string? Body, Guid[]? RecipientOrganisationIds, AttachmentInput[]? Attachments)
{
    private IReadOnlyList<byte[]?>? decoded;

    /// <summary>Each attachment's bytes, decoded once; null where the base64 is not valid.</summary>
    [JsonIgnore]
    public IReadOnlyList<byte[]?> Decoded => decoded ??= (Attachments ?? []).Select(a => TryDecode(a?.ContentBase64)).ToList();

    public DisclosedContent Content() => new(
        [new DisclosedText("subject", Subject ?? ""), new DisclosedText("body", Body ?? "")],
        (Attachments ?? []).Select((a, i) => new DisclosedDocument($"attachments[{i}]", a?.FileName ?? "", a?.DocumentKind ?? "", a?.MediaType ?? "", Decoded[i] ?? []))
            .ToList());

    public void Validate(ExchangeOptions options, ValidationErrors errors)
    {
        errors.Required("subject", Subject, ExchangeOptions.MaxSubject);
        errors.Required("body", Body, ExchangeOptions.MaxBody);
        Recipients.Validate("recipientOrganisationIds", RecipientOrganisationIds, errors);
        var attachments = Attachments ?? [];
        if (attachments.Length > options.MaxAttachments)
        {
            errors.Add("attachments", $"at most {options.MaxAttachments}");
            return;
        }
        for (var i = 0; i < attachments.Length; i++)
        {
            if (attachments[i] is null)
            {
                errors.Add($"attachments[{i}]", "is required: an object with fileName, mediaType, documentKind and contentBase64");
                continue;
            }
            Validate($"attachments[{i}]", attachments[i], Decoded[i], options, errors);
        }
    }

    private static void Validate(string field, AttachmentInput attachment, byte[]? content, ExchangeOptions options, ValidationErrors errors)
    {
        errors.Required($"{field}.fileName", attachment.FileName, 255);
        if (attachment.FileName is { } name && (name.IndexOfAny(['/', '\\']) >= 0 || name.Any(char.IsControl)))
        {
            errors.Add($"{field}.fileName", "a file name, without a path or control characters");
        }
        if (!DocumentKinds.Allowed.Contains(attachment.DocumentKind) && !DocumentKinds.Forbidden.Contains(attachment.DocumentKind))
        {
            errors.Add($"{field}.documentKind", $"one of: {string.Join(' ', DocumentKinds.Allowed)}");
        }
        if (!DocumentKinds.MediaTypes.Contains(attachment.MediaType))
        {
            errors.Add($"{field}.mediaType", $"one of: {string.Join(' ', DocumentKinds.MediaTypes)}");
        }
        else if (attachment.FileName is { } file && !DocumentKinds.Extensions[attachment.MediaType!].Any(e => file.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"{field}.fileName", $"must end with {string.Join(" or ", DocumentKinds.Extensions[attachment.MediaType!])} for {attachment.MediaType}");
        }
        if (content is null)
        {
            errors.Add($"{field}.contentBase64", "is required, in base64");
        }
        else if (content.Length > options.MaxAttachmentBytes)
        {
            errors.Add($"{field}.contentBase64", $"at most {options.MaxAttachmentBytes} bytes once decoded");
        }
        else if (attachment.MediaType is { } mediaType && DocumentKinds.MediaTypes.Contains(mediaType) && !Signatures.Match(mediaType, content))
        {
            errors.Add($"{field}.contentBase64", $"the content is not {mediaType} (checked against its signature, not only the declared type)");
        }
    }

    private static byte[]? TryDecode(string? base64)
    {
        if (string.IsNullOrEmpty(base64))
        {
            return null;
        }
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

internal static class Recipients
{
    public static void Validate(string field, Guid[]? recipients, ValidationErrors errors)
    {
        if (recipients is not { Length: > 0 } || recipients.Length > ExchangeOptions.MaxRecipients)
        {
            errors.Add(field, $"between 1 and {ExchangeOptions.MaxRecipients} organisation ids");
        }
        else if (recipients.Contains(Guid.Empty) || recipients.Distinct().Count() != recipients.Length)
        {
            errors.Add(field, "distinct organisation ids");
        }
    }
}

/// <summary>The first bytes each accepted media type must start with.</summary>
internal static class Signatures
{
    private static readonly byte[] Pdf = "%PDF-"u8.ToArray();
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool Match(string mediaType, byte[] content) => mediaType switch
    {
        "application/pdf" => content.AsSpan().StartsWith(Pdf),
        "image/png" => content.AsSpan().StartsWith(Png),
        "image/jpeg" => content.AsSpan().StartsWith(Jpeg),
        "text/plain" => IsText(content),
        _ => false,
    };

    private static bool IsText(byte[] content)
    {
        if (content.Contains((byte)0))
        {
            return false;
        }
        try
        {
            StrictUtf8.GetString(content);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}
