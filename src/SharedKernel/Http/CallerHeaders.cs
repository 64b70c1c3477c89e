namespace EtatMajor.SharedKernel.Http;

/// <summary>Headers by which the integrating software names who acts and why (conventions.md, LOG-1).</summary>
public static class CallerHeaders
{
    public const string OnBehalfOf = "X-On-Behalf-Of";
    public const int MaxOnBehalfOfLength = 200;
    public const string Justification = "X-Justification";
    public const int MaxJustificationLength = 500;
}
