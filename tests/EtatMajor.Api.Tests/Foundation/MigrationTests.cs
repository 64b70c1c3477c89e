using Dapper;
using EtatMajor.SharedKernel.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EtatMajor.Api.Tests.Foundation;

/// <summary>
/// A database written under version 1 of the rules, upgraded by the version 2 migration: what the corrected law
/// no longer allows goes (non-co-chair members of an EMS, its joint proposals), everything else is kept in its
/// new form. SQLite only: the SQL Server script is parsed by the architecture tests and runs with the SQL Server suite.
/// </summary>
public sealed class MigrationTests
{
    private const string Now = "2026-11-01T09:00:00.000Z";

    [Test]
    public void COMP_1_COMP_3_CONF_3_the_version_2_migration_keeps_what_the_law_still_allows_in_its_new_form()
    {
        using var api = new TestApi(new ApiFactory());
        var sources = api.Factory.Services.GetServices<MigrationSource>().ToList();
        var directory = Directory.CreateTempSubdirectory("etatmajor-upgrade-").FullName;
        var connectionString = $"Data Source={Path.Combine(directory, "v1.db")};Foreign Keys=True";
        try
        {
            var migrator = new DatabaseMigrator(new DatabaseOptions(DatabaseProvider.Sqlite, connectionString), sources, NullLogger<DatabaseMigrator>.Instance);
            migrator.Migrate(name => !name.Contains("Governance.Data.Sqlite.0003_", StringComparison.Ordinal));
            var ids = WriteVersion1(connectionString);
            migrator.Migrate();

            using var db = new SqliteConnection(connectionString);
            Assert.Multiple(() =>
            {
                // COMP-1: the EMS keeps its co-chairs; its police member takes part as a participant, its membership ended.
                Assert.That(db.QuerySingle<int>("SELECT COUNT(*) FROM gov_instance_members WHERE instance_id = @Ems AND removed_at IS NULL", ids), Is.EqualTo(2));
                Assert.That(db.QuerySingle<string?>("SELECT removed_at FROM gov_instance_members WHERE instance_id = @Ems AND organisation_id = @Police", ids), Is.Not.Null);
                Assert.That(db.QuerySingle<int>("SELECT COUNT(*) FROM gov_instance_participants WHERE instance_id = @Ems AND organisation_id = @Police AND removed_at IS NULL", ids),
                    Is.EqualTo(1));
                // The CCOFSI's members stay members; it expects all three forces.
                Assert.That(db.QuerySingle<int>("SELECT COUNT(*) FROM gov_instance_members WHERE instance_id = @Ccofsi AND removed_at IS NULL", ids), Is.EqualTo(3));
                Assert.That(db.QuerySingle<string>("SELECT zsp_forces FROM gov_instances WHERE id = @Ccofsi", ids), Is.EqualTo("police-nationale gendarmerie-nationale douanes"));
                // COMP-3: the EMS's proposal is gone, the CCOFSI's is kept.
                Assert.That(db.Query<string>("SELECT instance_id FROM gov_association_proposals").ToList(), Is.EqualTo(new[] { ids.Ccofsi.ToString() }));
                // CONF-3: each instance's règlement becomes one of its département covering that instance, both versions "1" kept.
                var rules = db.Query<(string Id, string Departement, string Version, long CoversAll, string Migrated)>(
                    "SELECT id, departement, version, covers_all_instances, migrated_from_instance_id FROM gov_internal_rules ORDER BY migrated_from_instance_id").ToList();
                Assert.That(rules.Select(r => (r.Departement, r.Version, r.CoversAll)), Is.EqualTo(new[] { ("33", "1", 0L), ("33", "1", 0L) }));
                Assert.That(db.Query<string>("SELECT instance_id FROM gov_internal_rules_instances WHERE internal_rules_id = @EmsRules", ids).ToList(),
                    Is.EqualTo(new[] { ids.Ems.ToString() }));
                Assert.That(db.QuerySingle<string>("SELECT text FROM gov_internal_rules WHERE id = @EmsRules", ids), Is.EqualTo("Règlement de l'EMS"));
                // CONF-4: acknowledgements now say for which instance.
                Assert.That(db.QuerySingle<string>("SELECT instance_id FROM gov_rule_acknowledgements WHERE internal_rules_id = @CcofsiRules AND organisation_id = @Police", ids),
                    Is.EqualTo(ids.Ccofsi.ToString()));
            });
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed record Version1(Guid Ems, Guid Ccofsi, Guid Prefet, Guid Procureur, Guid Police, Guid Gendarmerie, Guid Mayor, Guid EmsRules, Guid CcofsiRules);

    private static Version1 WriteVersion1(string connectionString)
    {
        var ids = new Version1(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        using var db = new SqliteConnection(connectionString);
        db.Open();
        foreach (var (id, kind, code) in new[]
                 {
                     (ids.Prefet, "prefet", "pref-33"), (ids.Procureur, "procureur", "parquet-bordeaux"), (ids.Police, "police-nationale", "ddsp-33"),
                     (ids.Gendarmerie, "gendarmerie-nationale", "ggd-33"), (ids.Mayor, "maire", "mairie-33063"),
                 })
        {
            db.Execute("INSERT INTO gov_organisations (id, code, name, kind, departement, commune_insee, created_at) VALUES (@Id, @Code, @Code, @Kind, '33', NULL, @Now)",
                new { Id = id.ToString(), Code = code, Kind = kind, Now });
        }
        foreach (var (id, kind, zsp) in new[] { (ids.Ems, "ems", (string?)null), (ids.Ccofsi, "ccofsi", "Bordeaux nord") })
        {
            db.Execute("INSERT INTO gov_instances (id, kind, departement, name, prefet_organisation_id, procureur_organisation_id, zsp_name, created_at) " +
                       "VALUES (@Id, @Kind, '33', @Kind, @Prefet, @Procureur, @Zsp, @Now)",
                new { Id = id.ToString(), Kind = kind, Prefet = ids.Prefet.ToString(), Procureur = ids.Procureur.ToString(), Zsp = zsp, Now });
            var members = new List<(Guid, string)> { (ids.Prefet, "co-chair"), (ids.Procureur, "co-chair"), (ids.Police, "member") };
            foreach (var (organisation, role) in members)
            {
                db.Execute("INSERT INTO gov_instance_members (id, instance_id, organisation_id, role, joined_at, removed_at) VALUES (@Id, @Instance, @Organisation, @Role, @Now, NULL)",
                    new { Id = Guid.NewGuid().ToString(), Instance = id.ToString(), Organisation = organisation.ToString(), Role = role, Now });
            }
            db.Execute("INSERT INTO gov_association_proposals (id, instance_id, organisation_id, rationale, status, proposed_by_organisation_id, proposed_at) " +
                       "VALUES (@Id, @Instance, @Mayor, 'Proposition', 'awaiting-cosignature', @Prefet, @Now)",
                new { Id = Guid.NewGuid().ToString(), Instance = id.ToString(), Mayor = ids.Mayor.ToString(), Prefet = ids.Prefet.ToString(), Now });
        }
        foreach (var (rules, instance, text) in new[] { (ids.EmsRules, ids.Ems, "Règlement de l'EMS"), (ids.CcofsiRules, ids.Ccofsi, "Règlement de la CCOFSI") })
        {
            db.Execute("INSERT INTO gov_internal_rules (id, instance_id, version, adopted_by_cdpd_on, cdpd_deliberation_reference, in_force_from, text, " +
                       "recorded_by_organisation_id, recorded_at) VALUES (@Id, @Instance, '1', '2025-01-01', 'CDPD', '2025-01-01', @Text, @Prefet, @Now)",
                new { Id = rules.ToString(), Instance = instance.ToString(), Text = text, Prefet = ids.Prefet.ToString(), Now });
            db.Execute("INSERT INTO gov_rule_acknowledgements (internal_rules_id, organisation_id, acknowledged_at) VALUES (@Rules, @Police, @Now)",
                new { Rules = rules.ToString(), Police = ids.Police.ToString(), Now });
        }
        return ids;
    }
}
