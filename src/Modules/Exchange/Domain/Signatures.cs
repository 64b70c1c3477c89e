using System.Text;

namespace EtatMajor.Modules.Exchange.Domain;

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

}
