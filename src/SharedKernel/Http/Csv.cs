namespace EtatMajor.SharedKernel.Http;

/// <summary>CSV for reports that people open in a spreadsheet (RFC 4180: comma-separated, lines ended by CRLF).</summary>
public static class Csv
{
    /// <summary>
    /// One cell: quoted when it holds a comma, a quote or a line break; and a text that a spreadsheet would run as a
    /// formula (starting with =, +, -, @, a tab or a carriage return: a name typed by an integrator) is prefixed with
    /// an apostrophe, so that it reads as the text it is.
    /// </summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    public static string Line(params IEnumerable<string?> cells) => string.Join(',', cells.Select(Cell)) + "\r\n";
}
