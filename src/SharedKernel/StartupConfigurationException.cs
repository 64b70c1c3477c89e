namespace EtatMajor.SharedKernel;

/// <summary>Refused configuration at start-up, with the settings that are missing or wrong (printed as a sentence).</summary>
public sealed class StartupConfigurationException(string message) : Exception(message);
