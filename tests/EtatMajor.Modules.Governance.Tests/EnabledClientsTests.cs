using EtatMajor.Modules.Governance.Domain;
using EtatMajor.SharedKernel.Data;

namespace EtatMajor.Modules.Governance.Tests;

/// <summary>
/// What the disabled-client check may answer from memory (issue 13): an "enabled" read in the current generation, for a
/// second at most; never one read before a disabling moved the generation on; never on SQL Server.
/// </summary>
public sealed class EnabledClientsTests
{
    private static EnabledClients On(DatabaseProvider provider) => new(new DatabaseOptions(provider, "Data Source=x.db"));

    [Test]
    public void An_enabled_client_read_in_the_current_generation_is_known_until_a_disabling_moves_it_on()
    {
        var known = On(DatabaseProvider.Sqlite);
        known.Remember("c-1", known.Generation, Environment.TickCount64, 0);
        Assert.That(known.Knows("c-1", out _), Is.True);
        Assert.That(known.Knows("c-2", out _), Is.False, "never read");
        known.Forget();
        Assert.That(known.Knows("c-1", out _), Is.False, "forgotten by a disabling");
    }

    [Test]
    public void An_answer_read_before_a_disabling_committed_is_never_trusted_after_it()
    {
        var known = On(DatabaseProvider.Sqlite);
        var readIn = known.Generation;   // a request starts reading "enabled"…
        known.Forget();                  // …a disabling writes and commits meanwhile (OnCommitted)…
        known.Remember("c-1", readIn, Environment.TickCount64, 0);   // …and the request remembers what it read
        Assert.That(known.Knows("c-1", out _), Is.False);
    }

    [Test]
    public void An_answer_is_trusted_for_one_second_at_most()
    {
        var known = On(DatabaseProvider.Sqlite);
        known.Remember("c-1", known.Generation, Environment.TickCount64 - EnabledClients.TrustedMs - 1, 0);
        Assert.That(known.Knows("c-1", out _), Is.False);
    }

    [Test]
    public void On_sql_server_nothing_is_answered_from_memory()
    {
        var known = On(DatabaseProvider.SqlServer);
        known.Remember("c-1", known.Generation, Environment.TickCount64, 0);
        Assert.That(known.Knows("c-1", out _), Is.False, "several API instances share the database: each request reads it");
    }
}
