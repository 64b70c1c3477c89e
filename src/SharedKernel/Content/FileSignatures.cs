using System.Buffers.Binary;
using System.Text;

namespace EtatMajor.SharedKernel.Content;

/// <summary>
/// Is a file what it claims to be? Not only its first bytes: a PDF starts with its header; a text file is UTF-8
/// without NUL; a PNG is a chain of chunks, each with a valid CRC, from IHDR to IEND and nothing after; a JPEG is a
/// chain of segments from SOI to EOI and nothing after. Anything appended to an image (a PDF after a kilobyte of
/// padding, text after IEND) makes it something else, refused at the door; a PDF hidden inside a file is also
/// read as a PDF by the policy (CONF-2).
/// </summary>
public static class FileSignatures
{
    private static readonly byte[] Pdf = "%PDF-"u8.ToArray();
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Null when the content is a whole, valid file of the type; else what is wrong with it.</summary>
    public static string? Fault(string mediaType, byte[] content) => mediaType switch
    {
        "application/pdf" => content.AsSpan().StartsWith(Pdf) ? null : "does not start with a PDF header",
        "image/png" => PngFault(content),
        "image/jpeg" => JpegFault(content),
        "text/plain" => IsText(content) ? null : "is not UTF-8 text",
        _ => "is of no accepted type",
    };

    private static string? PngFault(ReadOnlySpan<byte> content)
    {
        if (!content.StartsWith(Png))
        {
            return "does not start with a PNG signature";
        }
        var position = Png.Length;
        var first = true;
        while (position + 12 <= content.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(content[position..]);
            if (length > int.MaxValue || position + 12 + (long)length > content.Length)
            {
                return "has a PNG chunk longer than the file";
            }
            var typeAndData = content.Slice(position + 4, 4 + (int)length);
            var type = Encoding.ASCII.GetString(typeAndData[..4]);
            if (first && type != "IHDR")
            {
                return "does not start with an IHDR chunk";
            }
            if (Crc32.Of(typeAndData) != BinaryPrimitives.ReadUInt32BigEndian(content[(position + 8 + (int)length)..]))
            {
                return $"has a PNG chunk ({type}) whose CRC is wrong";
            }
            position += 12 + (int)length;
            first = false;
            if (type == "IEND")
            {
                return position == content.Length ? null : "carries data after the end of the PNG image (IEND)";
            }
        }
        return "ends before the end of the PNG image (IEND)";
    }

    private static string? JpegFault(ReadOnlySpan<byte> content)
    {
        if (content.Length < 4 || content[0] != 0xFF || content[1] != 0xD8)
        {
            return "does not start with a JPEG start-of-image marker";
        }
        var position = 2;
        while (position + 1 < content.Length)
        {
            if (content[position] != 0xFF)
            {
                return "has bytes outside any JPEG segment";
            }
            var marker = content[position + 1];
            position += 2;
            if (marker == 0xFF)
            {
                position--; // fill byte
                continue;
            }
            if (marker == 0xD9)
            {
                return position == content.Length ? null : "carries data after the end of the JPEG image (EOI)";
            }
            if (marker is >= 0xD0 and <= 0xD7 or 0x01)
            {
                continue;
            }
            if (position + 2 > content.Length)
            {
                return "ends inside a JPEG segment";
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(content[position..]);
            if (length < 2 || position + length > content.Length)
            {
                return "has a JPEG segment longer than the file";
            }
            position += length;
            if (marker == 0xDA)
            {
                // Entropy-coded data: up to the next marker that is neither a stuffed 0xFF00 nor a restart marker.
                while (position + 1 < content.Length && !(content[position] == 0xFF && content[position + 1] is not 0x00 and not (>= 0xD0 and <= 0xD7)))
                {
                    position++;
                }
            }
        }
        return "ends before the end of the JPEG image (EOI)";
    }

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

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320).</summary>
    private static class Crc32
    {
        private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
        {
            var c = (uint)n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }
            return c;
        }).ToArray();

        public static uint Of(ReadOnlySpan<byte> bytes)
        {
            var crc = 0xFFFFFFFFu;
            foreach (var b in bytes)
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }
            return crc ^ 0xFFFFFFFFu;
        }
    }
}
