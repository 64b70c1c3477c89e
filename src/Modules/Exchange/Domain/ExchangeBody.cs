using System.Text.Json.Serialization;

namespace EtatMajor.Modules.Exchange.Domain;

internal sealed record AttachmentInput(string? FileName, string? MediaType, string? DocumentKind, string? ContentBase64);

/// <summary>
/// What an integrator sends (or checks): subject, body, recipients, attachments in base64, and, for information about
/// a designated person, the designation (its co-chairs and assigned services are then the only audience, CONF-1).
/// </summary>
internal sealed record ExchangeBody(string? Subject, string? Body, Guid[]? RecipientOrganisationIds, AttachmentInput[]? Attachments, Guid? DesignationId = null)
{
    /// <summary>Who the exchange is about, when it is about a designated person.</summary>
    [JsonIgnore]
    public DisclosureSubject? About => DesignationId is { } id ? new DisclosureSubject(DisclosureSubject.Designation, id) : null;

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
        if (!DocumentKinds.Known(attachment.DocumentKind))
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
        else if (attachment.MediaType is { } mediaType && DocumentKinds.MediaTypes.Contains(mediaType) && Signatures.Fault(mediaType, content) is { } fault)
        {
            errors.Add($"{field}.contentBase64", $"the content is not a whole {mediaType}: it {fault} (the content is checked, not only the declared type)");
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
