using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EtatMajor.Modules.Audit;
using EtatMajor.Modules.Audit.Domain;
using EtatMajor.SharedKernel.Auditing;
using EtatMajor.SharedKernel.Data;
using EtatMajor.SharedKernel.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EtatMajor.Api.Tests.Audit;

/// <summary>Issue 3: fail-closed writes, tamper evidence, checkpoints, export and offline verification, retention.</summary>
public sealed class IntegrityTests(DatabaseProvider provider) : AuditorTest(provider)
{
    /// <summary>A trigger that refuses every new record, as a full or failed disk would.</summary>
    private string BreakTheLog => Database.For(Api,
        "CREATE TRIGGER test_log_unavailable BEFORE INSERT ON aud_events BEGIN SELECT RAISE(ABORT, 'injected: disk gone'); END",
        "CREATE TRIGGER test_log_unavailable ON aud_events INSTEAD OF INSERT AS THROW 50000, 'injected: disk gone', 1;");

    private const string MendTheLog = "DROP TRIGGER test_log_unavailable";

    [Test]
    public async Task LOG_3_fail_closed_a_read_whose_record_cannot_be_made_durable_gets_503_and_no_data()
    {
        var admin = await Api.AdminAsync();
        var code = TestApi.UniqueCode("secret-name");
        await Api.CreateOrganisationAsync(code, "douanes", "59");
        AuditLog.Execute(Api, BreakTheLog);
        try
        {
            using var response = await admin.GetAsync("/api/v1/organisations?kind=douanes");
            var body = await response.Content.ReadAsStringAsync();
            await Json.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
            Assert.Multiple(() =>
            {
                Assert.That(response.Headers.RetryAfter, Is.Not.Null);
                Assert.That(body, Does.Not.Contain(code), "nothing disclosed");
            });
        }
        finally
        {
            AuditLog.Execute(Api, MendTheLog);
        }
        using var again = await admin.GetAsync("/api/v1/organisations?kind=douanes");
        Assert.That(await again.Content.ReadAsStringAsync(), Does.Contain(code));
    }

    [Test]
    public async Task LOG_3_fail_closed_a_write_whose_record_cannot_be_made_durable_gets_503_and_nothing_is_written()
    {
        var admin = await Api.AdminAsync();
        var code = TestApi.UniqueCode("never-written");
        AuditLog.Execute(Api, BreakTheLog);
        try
        {
            using var response = await admin.PostAsJsonAsync("/api/v1/organisations", new { code, name = "x", kind = "douanes", departement = "59" });
            await Json.ProblemAsync(response, HttpStatusCode.ServiceUnavailable);
            Assert.That(response.Headers.Location, Is.Null);
        }
        finally
        {
            AuditLog.Execute(Api, MendTheLog);
        }
        Assert.That(AuditLog.Scalar(Api, $"SELECT COUNT(*) FROM gov_organisations WHERE code = '{code}'"), Is.Zero, "nothing half-written");
        using var integrity = await Auditor.Http.GetAsync("/api/v1/audit/integrity");
        Assert.That((await Json.ReadAsync(integrity, HttpStatusCode.OK)).GetProperty("status").GetString(), Is.EqualTo("valid"));
    }

    [Test]
    public async Task LOG_3_a_write_and_its_record_commit_together()
    {
        var admin = await Api.AdminAsync();
        using var response = await admin.PostAsJsonAsync("/api/v1/organisations", new { code = TestApi.UniqueCode("together"), name = "x", kind = "douanes", departement = "59" });
        var id = (await Json.ReadAsync(response, HttpStatusCode.Created)).GetProperty("id").GetString();
        Assert.That(AuditLog.Scalar(Api, $"SELECT COUNT(*) FROM aud_events WHERE action = 'organisation.create' AND resource_id = '{id}'"), Is.EqualTo(1));
    }

    [Test]
    public async Task LOG_3_checkpoints_are_signed_chained_written_even_when_nothing_happened_and_verifiable_with_the_published_key()
    {
        var first = await Checkpointing.WriteAsync(Api);
        var second = await Checkpointing.WriteAsync(Api);
        using var keysResponse = await Auditor.Http.GetAsync("/api/v1/audit/keys");
        var keys = await Json.ReadAsync(keysResponse, HttpStatusCode.OK);
        var pem = keys.GetProperty("items").EnumerateArray().Single(k => k.GetProperty("keyId").GetString() == second.KeyId).GetProperty("publicKeyPem").GetString()!;
        Assert.Multiple(() =>
        {
            Assert.That(second.Number, Is.EqualTo(first.Number + 1));
            Assert.That(second.Count, Is.Zero, "nothing happened between the two");
            Assert.That(second.PreviousSignature, Is.EqualTo(first.Signature));
            Assert.That(CheckpointSignatures.Verify(pem, second), Is.True);
            second.HeadHash = Chain.Genesis;
            Assert.That(CheckpointSignatures.Verify(pem, second), Is.False, "a changed checkpoint no longer verifies");
        });
        using var list = await Auditor.Http.GetAsync("/api/v1/audit/checkpoints?limit=500");
        var page = await Json.ReadAsync(list, HttpStatusCode.OK);
        Assert.That(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("number").GetInt64()), Does.Contain(first.Number).And.Contain(second.Number));
    }
}

/// <summary>Export, offline verification and retention, each on a log of its own.</summary>
public sealed class ExportAndRetentionTests
{
    private static async Task<(TestApi Api, Actor Auditor)> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var api = new TestApi(new ApiFactory(extra: settings));
        var auditor = await api.ActorAsync("auditeur", null, "audit");
        var admin = await api.AdminAsync();
        for (var i = 0; i < 5; i++)
        {
            using (await admin.GetAsync("/api/v1/organisations"))
            {
            }
        }
        return (api, auditor);
    }

    private static async Task<(string Export, string KeyFile)> ExportAsync(Actor auditor, string query = "")
    {
        using var response = await auditor.Http.GetAsync($"/api/v1/audit/events/export?format=ndjson{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/x-ndjson"));
        var directory = Directory.CreateTempSubdirectory("etatmajor-export-").FullName;
        var export = Path.Combine(directory, "export.ndjson");
        await File.WriteAllTextAsync(export, await response.Content.ReadAsStringAsync());
        using var keys = await auditor.Http.GetAsync("/api/v1/audit/keys");
        var keyFile = Path.Combine(directory, "key.pem");
        await File.WriteAllTextAsync(keyFile, (await Json.ReadAsync(keys, HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("publicKeyPem").GetString());
        return (export, keyFile);
    }

    private static async Task<(int Code, string Output)> VerifyAsync(string export, string keyFile)
    {
        using var output = new StringWriter();
        var code = await AuditModule.RunCommandAsync(["verify", export, "--public-key", keyFile], output);
        return (code, output.ToString());
    }

    [Test]
    public async Task LOG_3_an_export_verifies_offline_and_one_altered_record_is_found_at_its_seq()
    {
        var (api, auditor) = await StartAsync();
        using var _ = api;
        await Checkpointing.WriteAsync(api);
        var (export, keyFile) = await ExportAsync(auditor);
        var (code, output) = await VerifyAsync(export, keyFile);
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.StartWith("valid"));

        var lines = await File.ReadAllLinesAsync(export);
        var index = Array.FindIndex(lines, l => l.Contains("\"action\":\"organisation.list\"", StringComparison.Ordinal));
        var seq = JsonDocument.Parse(lines[index]).RootElement.GetProperty("seq").GetInt64();
        lines[index] = lines[index].Replace("\"status\":200", "\"status\":204", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(export, lines);
        (code, output) = await VerifyAsync(export, keyFile);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(output, Does.StartWith($"broken at seq {seq}:"));
        });
    }

    [Test]
    public async Task LOG_3_a_truncated_export_or_a_wrong_key_does_not_verify()
    {
        var (api, auditor) = await StartAsync();
        using var _ = api;
        await Checkpointing.WriteAsync(api);
        var (export, keyFile) = await ExportAsync(auditor);
        var lines = await File.ReadAllLinesAsync(export);
        await File.WriteAllLinesAsync(export + ".cut", lines.Where((_, i) => i != 2));
        Assert.That((await VerifyAsync(export + ".cut", keyFile)).Code, Is.EqualTo(1));

        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        await File.WriteAllTextAsync(keyFile + ".other", other.ExportSubjectPublicKeyInfoPem());
        var (code, output) = await VerifyAsync(export, keyFile + ".other");
        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("signature"));
    }

    [Test]
    public async Task The_verifier_runs_from_the_repository_root_as_the_docs_say_with_relative_paths()
    {
        var (api, auditor) = await StartAsync();
        using var _ = api;
        await Checkpointing.WriteAsync(api);
        var (export, keyFile) = await ExportAsync(auditor);
        var root = Repository.Root;
        var relative = Path.Combine("TestResults", "verify-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(root, relative));
        try
        {
            File.Copy(export, Path.Combine(root, relative, "day.ndjson"));
            File.Copy(keyFile, Path.Combine(root, relative, "key.pem"));
            // docs/audit.md: dotnet run --project src/Api -- audit verify day.ndjson --public-key key.pem
            var (code, output) = await Repository.DotnetRunAsync(root, "audit", "verify",
                Path.Combine(relative, "day.ndjson"), "--public-key", Path.Combine(relative, "key.pem"));
            Assert.That(code, Is.Zero, output);
            // dotnet run says first which launch profile it used; the verifier's own line follows.
            Assert.That(output.Split('\n'), Has.Some.StartsWith("valid: "), output);
        }
        finally
        {
            Directory.Delete(Path.Combine(root, relative), recursive: true);
        }
    }

    [Test]
    public async Task The_verifier_says_in_a_sentence_what_is_wrong_with_its_input()
    {
        var (api, auditor) = await StartAsync();
        using var _ = api;
        var (export, keyFile) = await ExportAsync(auditor);
        var lines = await File.ReadAllLinesAsync(export);
        await File.WriteAllLinesAsync(export + ".noend", lines[..^1]);
        await File.WriteAllLinesAsync(export + ".nohead", lines[1..]);
        await File.WriteAllLinesAsync(export + ".short", lines.Where((_, i) => i != 1));
        Assert.Multiple(async () =>
        {
            Assert.That((await VerifyAsync(export + ".noend", keyFile)).Output,
                Is.EqualTo($"broken: the file is not a complete export: its end line is missing (was the download cut short?).{Environment.NewLine}"));
            Assert.That((await VerifyAsync(export + ".nohead", keyFile)).Output, Does.Contain("its header line is missing."));
            Assert.That((await VerifyAsync(export + ".short", keyFile)).Output,
                Does.Match(@"it holds \d+ records while its end line declares \d+\."));
            var missing = await VerifyAsync("no-such-export.ndjson", keyFile);
            Assert.That(missing.Code, Is.EqualTo(2));
            Assert.That(missing.Output, Does.StartWith($"The file {Path.GetFullPath("no-such-export.ndjson")} does not exist."));
        });
    }

    [Test]
    public async Task LOG_3_the_verifier_reports_a_hostile_line_or_hash_and_refuses_a_pipe()
    {
        var (api, auditor) = await StartAsync();
        using var _ = api;
        await Checkpointing.WriteAsync(api);
        var (export, keyFile) = await ExportAsync(auditor);
        var lines = await File.ReadAllLinesAsync(export);
        var index = Array.FindIndex(lines, l => l.StartsWith("{\"type\":\"event\",", StringComparison.Ordinal));
        var seq = JsonDocument.Parse(lines[index]).RootElement.GetProperty("seq").GetInt64();
        var hash = JsonDocument.Parse(lines[index]).RootElement.GetProperty("hash").GetString()!;
        var previous = JsonDocument.Parse(lines[index]).RootElement.GetProperty("prevHash").GetString()!;
        async Task<(int Code, string Output)> AlteredAsync(string name, Func<string, string> alter)
        {
            var copy = lines.ToArray();
            copy[index] = alter(copy[index]);
            await File.WriteAllLinesAsync($"{export}.{name}", copy);
            return await VerifyAsync($"{export}.{name}", keyFile);
        }

        // A line that looks like a record to the first pass but is not JSON: found by the second, named by its number.
        var cut = await AlteredAsync("cut", line => line[..40]);
        // Hashes that are not hashes: a record with an empty hash and a previous hash that is not one, or none at all.
        var empty = await AlteredAsync("empty", line => line.Replace(previous, "zz", StringComparison.Ordinal).Replace(hash, "", StringComparison.Ordinal));
        var missing = await AlteredAsync("null", line => line.Replace($"\"{previous}\"", "null", StringComparison.Ordinal));
        var upper = await AlteredAsync("upper", line => line.Replace(hash, hash.ToUpperInvariant(), StringComparison.Ordinal));

        // A pipe cannot be read twice: refused (exit 2), never verified as empty.
        var fifo = Path.Combine(Path.GetDirectoryName(export)!, "export.fifo");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
        }
        var writer = Task.Run(async () =>
        {
            await using var pipe = new FileStream(fifo, FileMode.Open, FileAccess.Write);
            await pipe.WriteAsync(await File.ReadAllBytesAsync(export));
        });
        var piped = await VerifyAsync(fifo, keyFile);
        await writer.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.Multiple(() =>
        {
            Assert.That(cut, Is.EqualTo((1, $"broken: line {index + 1} is not a line of an EtatMajor export.{Environment.NewLine}")));
            Assert.That(empty.Code, Is.EqualTo(1));
            Assert.That(empty.Output, Does.StartWith($"broken at seq {seq}: the record's hashes are not SHA-256 hashes"));
            Assert.That(missing.Code, Is.EqualTo(1), missing.Output);
            Assert.That(missing.Output, Does.StartWith($"broken at seq {seq}:"));
            Assert.That(upper.Output, Does.StartWith($"broken at seq {seq}:"));
            Assert.That(piped.Code, Is.EqualTo(2), piped.Output);
            Assert.That(piped.Output, Does.StartWith("The export must be a file, not a pipe"));
        });
    }

    [Test]
    public async Task A_filtered_export_is_checked_record_by_record_and_csv_is_offered()
    {
        var (api, auditor) = await StartAsync();
        using var _ = api;
        var (export, keyFile) = await ExportAsync(auditor, "&action=organisation.list");
        var (code, output) = await VerifyAsync(export, keyFile);
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("selection"));

        using var csv = await auditor.Http.GetAsync("/api/v1/audit/events/export?format=csv");
        var text = await csv.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(csv.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
            Assert.That(text, Does.StartWith("type,seq,id,occurredAt"));
            Assert.That(text.Split('\n').Count(l => l.StartsWith("event,", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(6));
        });
        using var bad = await auditor.Http.GetAsync("/api/v1/audit/events/export?format=xml");
        await Json.ProblemAsync(bad, HttpStatusCode.BadRequest);
        var recorded = await AuditLog.EventsAsync(auditor, "&action=audit.export");
        Assert.That(recorded.Select(r => r.GetProperty("status").GetInt32()), Does.Contain(200).And.Contain(400));
    }

    [Test]
    public async Task LOG_2_the_csv_export_neutralises_what_a_spreadsheet_would_run_ends_lines_with_crlf_and_is_never_sniffed()
    {
        var (api, auditor) = await StartAsync();
        using var _ = api;
        var admin = await api.AdminAsync();
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/organisations"))
        {
            request.Headers.Add(CallerHeaders.OnBehalfOf, "=HYPERLINK(\"http://evil.example\",\"x\")");
            request.Headers.Add(CallerHeaders.Justification, "@SUM(1+1)");
            using var listed = await admin.SendAsync(request);
            Assert.That(listed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        using (await api.RequestTokenAsync("+cmd|' /C calc'!A0", "wrong"))
        {
        }

        using var csv = await auditor.Http.GetAsync("/api/v1/audit/events/export?format=csv");
        var text = await csv.Content.ReadAsStringAsync();
        var cells = text.Split("\r\n").SelectMany(line => line.Split(',')).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("\"'=HYPERLINK(\"\"http://evil.example\"\"").And.Contain(",'@SUM(1+1),").And.Contain("'+cmd|' /C calc'!A0"));
            Assert.That(cells.Where(c => c.Length > 0 && c[0] is '=' or '+' or '@' or '-'), Is.Empty, "no cell starts like a formula");
            Assert.That(text.Replace("\r\n", "", StringComparison.Ordinal), Does.Not.Contain("\n"), "every line ends with CRLF");
            Assert.That(csv.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
        });
        using var ndjson = await auditor.Http.GetAsync("/api/v1/audit/events/export?format=ndjson");
        Assert.That((await ndjson.Content.ReadAsStringAsync()).Contains("\"onBehalfOf\":\"=HYPERLINK", StringComparison.Ordinal), Is.True,
            "the verified export keeps every value as hashed");
    }

    [Test]
    public async Task LOG_3_retention_removes_whole_old_segments_keeps_their_signed_heads_and_the_rest_still_verifies()
    {
        var (api, auditor) = await StartAsync(new() { ["Audit:RetentionDays"] = "30" });
        using var _ = api;
        var old = await Checkpointing.WriteAsync(api);
        using (await (await api.AdminAsync()).GetAsync("/api/v1/organisations"))
        {
        }
        var last = await Checkpointing.WriteAsync(api);

        api.Clock.Advance(TimeSpan.FromDays(10));
        Assert.That(await api.Factory.RunJobAsync(RetentionJob.Name), Is.True);
        Assert.That(AuditLog.Scalar(api, "SELECT MIN(seq) FROM aud_events"), Is.EqualTo(1), "nothing is old enough yet");
        api.Clock.Advance(TimeSpan.FromDays(21));
        Assert.That(await api.Factory.RunJobAsync(RetentionJob.Name), Is.True);
        var purgedUpTo = AuditLog.Scalar(api, "SELECT MAX(up_to_seq) FROM aud_purges");
        Assert.That(purgedUpTo, Is.EqualTo(last.ToSeq).And.GreaterThanOrEqualTo(old.ToSeq));
        Assert.That(AuditLog.Scalar(api, "SELECT MIN(seq) FROM aud_events"), Is.EqualTo(purgedUpTo + 1));

        using var integrity = await auditor.Http.GetAsync("/api/v1/audit/integrity");
        var result = await Json.ReadAsync(integrity, HttpStatusCode.OK);
        Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("valid"), result.ToString());
        var erasures = await AuditLog.EventsAsync(auditor, "&action=audit.purge&operation=erasure");
        Assert.That(erasures, Has.Count.EqualTo(1));
        using var checkpoints = await auditor.Http.GetAsync("/api/v1/audit/checkpoints");
        Assert.That((await Json.ReadAsync(checkpoints, HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .Select(c => c.GetProperty("number").GetInt64()), Does.Contain(old.Number), "the signed heads stay");

        await Checkpointing.WriteAsync(api);
        var (export, keyFile) = await ExportAsync(auditor);
        var (code, output) = await VerifyAsync(export, keyFile);
        Assert.That(code, Is.Zero, output);
    }

    [Test]
    public async Task LOG_3_a_stored_row_altered_in_the_database_is_detected_at_its_seq()
    {
        var (api, auditor) = await StartAsync();
        using var _ = api;
        var admin = await api.AdminAsync();
        using (await admin.GetAsync("/api/v1/organisations?limit=1"))
        {
        }
        var target = AuditLog.Head(api);
        using (await admin.GetAsync("/api/v1/organisations?limit=2"))
        {
        }
        // An attacker with access to the file: drops the guard, rewrites history.
        AuditLog.Execute(api, "DROP TRIGGER aud_events_no_update");
        AuditLog.Execute(api, $"UPDATE aud_events SET client_id = 'someone-else' WHERE seq = {target}");
        using var response = await auditor.Http.GetAsync("/api/v1/audit/integrity");
        var result = await Json.ReadAsync(response, HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("broken"));
            Assert.That(result.GetProperty("firstInvalidSeq").GetInt64(), Is.EqualTo(target));
        });
        using var before = await auditor.Http.GetAsync($"/api/v1/audit/integrity?fromSeq=1&toSeq={target - 1}");
        Assert.That((await Json.ReadAsync(before, HttpStatusCode.OK)).GetProperty("status").GetString(), Is.EqualTo("valid"));
    }

    [Test]
    public async Task LOG_3_records_deleted_without_a_purge_are_detected_and_a_purge_permit_must_stop_at_a_checkpoint()
    {
        var (api, auditor) = await StartAsync();
        using var _ = api;
        var checkpoint = await Checkpointing.WriteAsync(api);
        var badPermit = Assert.Catch<System.Data.Common.DbException>(() => AuditLog.Execute(api,
            $"INSERT INTO aud_purges (checkpoint_number, up_to_seq, purged_at) VALUES ({checkpoint.Number}, {checkpoint.ToSeq - 1}, '2026-01-01T00:00:00.000Z')"));
        Assert.That(badPermit!.Message, Does.Contain("checkpoint"));

        // An attacker with the file drops the guard and removes the oldest records.
        AuditLog.Execute(api, "DROP TRIGGER aud_events_no_delete");
        AuditLog.Execute(api, "DELETE FROM aud_events WHERE seq <= 3");
        using var response = await auditor.Http.GetAsync("/api/v1/audit/integrity");
        var result = await Json.ReadAsync(response, HttpStatusCode.OK);
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("status").GetString(), Is.EqualTo("broken"));
            Assert.That(result.GetProperty("firstInvalidSeq").GetInt64(), Is.EqualTo(4));
            Assert.That(result.GetProperty("reason").GetString(), Does.Contain("missing"));
        });
    }

    [Test]
    public async Task LOG_3_a_purge_permit_written_by_hand_authorises_nothing_signed_or_not()
    {
        // A configured key, as in production: the server then trusts it, not the keys the database lists.
        var keyPath = Path.Combine(Directory.CreateTempSubdirectory("etatmajor-key-").FullName, "audit-key.pem");
        using (var serverKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
        {
            await File.WriteAllTextAsync(keyPath, serverKey.ExportPkcs8PrivateKeyPem());
        }
        var (api, auditor) = await StartAsync(new() { ["Audit:SigningKey:Path"] = keyPath });
        using var _ = api;
        using (await (await api.AdminAsync()).GetAsync("/api/v1/organisations"))
        {
        }
        // The latest checkpoint, minutes old, far younger than the retention of 1 095 days.
        var checkpoint = await Checkpointing.WriteAsync(api);

        // Someone with write access to the database: a permit for that checkpoint, then the records up to it deleted.
        AuditLog.Execute(api, $"INSERT INTO aud_purges (checkpoint_number, up_to_seq, purged_at) VALUES ({checkpoint.Number}, {checkpoint.ToSeq}, '2026-11-16T09:00:00.000Z')");
        AuditLog.Execute(api, $"DELETE FROM aud_events WHERE seq <= {checkpoint.ToSeq}");
        Assert.That(AuditLog.Count(api), Is.Zero, "the whole log was up to the checkpoint: it is empty now, which read as nothing to check");
        var unsigned = await IntegrityAsync(auditor);
        var (export, keyFile) = await ExportAsync(auditor);
        var offline = await VerifyAsync(export, keyFile);

        // The same permit completed with every field and signed by the attacker's own key, which he adds to aud_keys.
        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        AuditLog.Execute(api, $"INSERT INTO aud_keys (key_id, algorithm, public_key_pem, first_used_at) VALUES ('{CheckpointSignatures.KeyId(other)}', 'ES256', " +
            $"'{CheckpointSignatures.PublicKeyPem(other)}', '2026-11-16T09:00:00.000Z')");
        var forged = new PurgePermit
        {
            CheckpointNumber = checkpoint.Number, UpToSeq = checkpoint.ToSeq, HeadHash = checkpoint.HeadHash, CheckpointCreatedAt = checkpoint.CreatedAt,
            RetentionDays = 1, PurgedAt = api.Clock.Instant().AddSeconds(-1), KeyId = CheckpointSignatures.KeyId(other),
        };
        forged.Cutoff = TypeHandlers.SqliteInstant(forged.PurgedAt.AddDays(-1));
        forged.Signature = CheckpointSignatures.Sign(other, forged.Canonical());
        AuditLog.Execute(api, Database.For(api, "DROP TRIGGER aud_purges_no_change", "DROP TRIGGER aud_purges_append_only"));
        AuditLog.Execute(api, $"UPDATE aud_purges SET head_hash = '{forged.HeadHash}', checkpoint_created_at = '{forged.CheckpointCreatedAt}', retention_days = 1, " +
            $"cutoff = '{forged.Cutoff}', purged_at = '{TypeHandlers.SqliteInstant(forged.PurgedAt)}', key_id = '{forged.KeyId}', signature = '{forged.Signature}'");
        var signedByAnother = await IntegrityAsync(auditor);

        Assert.Multiple(() =>
        {
            Assert.That(unsigned.GetProperty("status").GetString(), Is.EqualTo("broken"));
            Assert.That(unsigned.GetProperty("firstInvalidSeq").GetInt64(), Is.EqualTo(checkpoint.ToSeq + 1));
            Assert.That(unsigned.GetProperty("reason").GetString(), Is.EqualTo($"the purge up to seq {checkpoint.ToSeq} has no signed permit"));
            Assert.That(offline, Is.EqualTo((1, $"broken at seq {checkpoint.ToSeq + 1}: the purge up to seq {checkpoint.ToSeq} has no signed permit.{Environment.NewLine}")),
                "the offline verifier sees the permit in the export and checks it too");
            Assert.That(signedByAnother.GetProperty("status").GetString(), Is.EqualTo("broken"));
            Assert.That(signedByAnother.GetProperty("reason").GetString(), Does.Contain("is not signed by the access-log key"));
        });
    }

    [Test]
    public async Task LOG_3_the_newest_records_removed_are_found_with_the_head_left_or_rewritten_below_a_checkpoint()
    {
        var (api, auditor) = await StartAsync();
        using var _ = api;
        var (first, second) = await Checkpointing.TwoSegmentsAsync(api);
        var head = AuditLog.Head(api);

        // The newest records deleted, the head left as it was.
        AuditLog.Execute(api, "DROP TRIGGER aud_events_no_delete");
        AuditLog.Execute(api, $"DELETE FROM aud_events WHERE seq > {first.ToSeq}");
        var headLeft = await IntegrityAsync(auditor);
        // Then the head rewritten to the last record kept, below the second checkpoint.
        var hash = Database.Query<string>(api, $"SELECT hash FROM aud_events WHERE seq = {first.ToSeq}").Single();
        AuditLog.Execute(api, $"UPDATE aud_head SET seq = {first.ToSeq}, hash = '{hash}' WHERE id = 1");
        var headRewritten = await IntegrityAsync(auditor);

        Assert.Multiple(() =>
        {
            Assert.That(headLeft.GetProperty("status").GetString(), Is.EqualTo("broken"));
            Assert.That(headLeft.GetProperty("firstInvalidSeq").GetInt64(), Is.EqualTo(first.ToSeq + 1));
            Assert.That(headLeft.GetProperty("reason").GetString(), Does.Contain($"to {head} are missing"));
            Assert.That(headRewritten.GetProperty("status").GetString(), Is.EqualTo("broken"));
            Assert.That(headRewritten.GetProperty("reason").GetString(), Does.StartWith($"checkpoint {second.Number} signs the records up to seq {second.ToSeq}"));
        });
    }

    [Test]
    public async Task LOG_3_checkpoints_copied_outside_the_database_reveal_records_removed_with_the_checkpoints_that_signed_them()
    {
        var sink = Directory.CreateTempSubdirectory("etatmajor-sink-").FullName;
        var (api, auditor) = await StartAsync(new() { ["Audit:CheckpointSink"] = sink });
        using var _ = api;
        var (first, second) = await Checkpointing.TwoSegmentsAsync(api);
        var copies = Directory.GetFiles(sink).Order(StringComparer.Ordinal).ToList();
        Assert.That(copies.Select(Path.GetFileName), Is.EqualTo(new[] { $"checkpoint-{first.Number:D12}.ndjson", $"checkpoint-{second.Number:D12}.ndjson" }));

        // Someone with the database: the newest records removed, the head rewritten, the checkpoint that signed them removed.
        AuditLog.Execute(api, "DROP TRIGGER aud_events_no_delete");
        AuditLog.Execute(api, "DROP TRIGGER aud_checkpoints_no_delete");
        AuditLog.Execute(api, $"DELETE FROM aud_events WHERE seq > {first.ToSeq}");
        AuditLog.Execute(api, $"DELETE FROM aud_checkpoints WHERE number > {first.Number}");
        var hash = Database.Query<string>(api, $"SELECT hash FROM aud_events WHERE seq = {first.ToSeq}").Single();
        AuditLog.Execute(api, $"UPDATE aud_head SET seq = {first.ToSeq}, hash = '{hash}' WHERE id = 1");

        var server = await IntegrityAsync(auditor);
        api.Clock.Advance(TimeSpan.FromMinutes(2));
        var (export, keyFile) = await ExportAsync(auditor);
        var alone = await VerifyAsync(export, keyFile);
        using var output = new StringWriter();
        var code = await AuditModule.RunCommandAsync(["verify", export, "--public-key", keyFile, "--trusted-checkpoints", sink], output);
        Assert.Multiple(() =>
        {
            Assert.That(alone.Code, Is.Zero, "without the copies, the shortened log reads as whole: the residual risk the copies close");
            Assert.That(code, Is.EqualTo(1), output.ToString());
            Assert.That(output.ToString(), Does.Contain($"to {second.ToSeq}, signed by trusted checkpoint {second.Number}, are missing from the log"));
            // The server reads the copies too, when the sink is configured.
            Assert.That(server.GetProperty("status").GetString(), Is.EqualTo("broken"), server.ToString());
            Assert.That(server.GetProperty("firstInvalidSeq").GetInt64(), Is.EqualTo(first.ToSeq + 1));
            Assert.That(server.GetProperty("reason").GetString(), Does.Contain($"signed by checkpoint {second.Number} (its copy outside the database), are missing"));
        });
    }

    [Test]
    public async Task LOG_3_a_copy_the_sink_could_not_take_is_written_at_the_next_checkpoint()
    {
        var sink = Directory.CreateTempSubdirectory("etatmajor-sink-").FullName;
        var (api, auditor) = await StartAsync(new() { ["Audit:CheckpointSink"] = sink });
        using var _ = api;
        var first = await Checkpointing.WriteAsync(api);
        // The next copy's name taken by a directory: its write fails (as on a full or unmounted volume), and is logged.
        var blocked = Path.Combine(sink, $"checkpoint-{first.Number + 1:D12}.ndjson");
        Directory.CreateDirectory(blocked);
        var second = await Checkpointing.WriteAsync(api);
        Assert.That(File.Exists(blocked), Is.False, "the copy could not be written");
        Directory.Delete(blocked);
        var third = await Checkpointing.WriteAsync(api);
        Assert.Multiple(async () =>
        {
            Assert.That(Directory.GetFiles(sink).Select(Path.GetFileName).Order(StringComparer.Ordinal),
                Is.EqualTo(new[] { first, second, third }.Select(c => $"checkpoint-{c.Number:D12}.ndjson")), "the missing copy written again");
            Assert.That((await IntegrityAsync(auditor)).GetProperty("status").GetString(), Is.EqualTo("valid"), "and it is the database's signed checkpoint");
        });
    }

    [Test]
    public async Task LOG_3_a_forged_copy_in_the_sink_or_a_checkpoint_that_differs_from_its_copy_is_reported()
    {
        var sink = Directory.CreateTempSubdirectory("etatmajor-sink-").FullName;
        var (api, auditor) = await StartAsync(new() { ["Audit:CheckpointSink"] = sink });
        using var _ = api;
        var (first, _) = await Checkpointing.TwoSegmentsAsync(api);
        Assert.That((await IntegrityAsync(auditor)).GetProperty("status").GetString(), Is.EqualTo("valid"), "the copies agree with the database");

        AuditLog.Execute(api, "DROP TRIGGER aud_checkpoints_no_update");
        AuditLog.Execute(api, $"UPDATE aud_checkpoints SET signature = 'AAAA' WHERE number = {first.Number}");
        var differs = await IntegrityAsync(auditor);
        File.WriteAllText(Path.Combine(sink, "checkpoint-999999999999.ndjson"), "{\"type\":\"checkpoint\",\"number\":999999999999}\n");
        var forged = await IntegrityAsync(auditor);
        Assert.Multiple(() =>
        {
            Assert.That(differs.GetProperty("status").GetString(), Is.EqualTo("broken"));
            Assert.That(differs.GetProperty("reason").GetString(), Does.Contain($"checkpoint {first.Number} differs from its copy outside the database"));
            Assert.That(forged.GetProperty("status").GetString(), Is.EqualTo("broken"));
            Assert.That(forged.GetProperty("reason").GetString(), Does.Contain("checkpoint-999999999999.ndjson is not a checkpoint signed by a trusted key"));
        });
    }

    private static async Task<JsonElement> IntegrityAsync(Actor auditor)
    {
        using var response = await auditor.Http.GetAsync("/api/v1/audit/integrity");
        return await Json.ReadAsync(response, HttpStatusCode.OK);
    }

    [Test]
    public async Task LOG_3_sqlite_commits_are_durable_synchronous_full_in_wal_mode()
    {
        var (api, _) = await StartAsync();
        using var __ = api;
        await using var connection = await api.Factory.Services.GetRequiredService<ConnectionFactory>().OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        Assert.That(Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(2), "FULL");
        command.CommandText = "PRAGMA journal_mode";
        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo("wal"));
    }
}

/// <summary>Checkpoints written by the checkpoint job, as the schedule would, then read back.</summary>
internal static class Checkpointing
{
    /// <summary>A checkpoint, three records, another checkpoint: the newest segment is the one an attacker would remove.</summary>
    public static async Task<(Checkpoint First, Checkpoint Second)> TwoSegmentsAsync(TestApi api)
    {
        var admin = await api.AdminAsync();
        var first = await WriteAsync(api);
        for (var i = 0; i < 3; i++)
        {
            using (await admin.GetAsync("/api/v1/organisations"))
            {
            }
        }
        return (first, await WriteAsync(api));
    }

    public static async Task<Checkpoint> WriteAsync(TestApi api)
    {
        Assert.That(await api.Factory.RunJobAsync(CheckpointJob.Name), Is.True, "the checkpoint job ran");
        return Database.Query<Checkpoint>(api, Checkpoints.Sql.LastCheckpoint, new { Take = 1 }).Single();
    }
}
