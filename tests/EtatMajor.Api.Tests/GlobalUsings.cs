global using EtatMajor.Testing;
