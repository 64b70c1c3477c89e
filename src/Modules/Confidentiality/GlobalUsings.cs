global using EtatMajor.Modules.Confidentiality.Contracts;
global using EtatMajor.SharedKernel.Disclosures;
global using EtatMajor.SharedKernel.Law;
