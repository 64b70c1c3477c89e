// bench/AuditFill: fills the access log of a migrated SQLite database with COUNT records spread over DAYS days
// (a mix of clients, actions and outcomes), chained with the Audit module's own hash, and a checkpoint signed with
// KEY every CHECKPOINT-MINUTES of that time, exactly as the API writes them: GET /api/v1/audit/integrity and the
// offline verifier accept the result. Not a test and not for production data: a benchmark fixture.
//
//   dotnet bench/AuditFill/bin/Release/net10.0/AuditFill.dll DB COUNT KEY.pem [DAYS=365] [CHECKPOINT-MINUTES=60] [--live-indexes]
//
// By default the indexes of aud_events are dropped during the fill and built again at the end (what a bulk load
// does); --live-indexes keeps them, so that the time per record is what the API pays to write one.
using System.Diagnostics;
using System.Globalization;
using EtatMajor.Modules.Audit.Domain;
using EtatMajor.SharedKernel.Data;
using Microsoft.Data.Sqlite;

if (args.Length < 3)
{
    Console.Error.WriteLine("Usage: AuditFill DB COUNT KEY.pem [DAYS=365] [CHECKPOINT-MINUTES=60] [--live-indexes]");
    return 2;
}
var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
var database = positional[0];
var count = long.Parse(positional[1], CultureInfo.InvariantCulture);
using var key = CheckpointSignatures.Load(positional[2]);
var days = positional.Length > 3 ? int.Parse(positional[3], CultureInfo.InvariantCulture) : 365;
var checkpointEvery = TimeSpan.FromMinutes(positional.Length > 4 ? int.Parse(positional[4], CultureInfo.InvariantCulture) : 60);
var liveIndexes = args.Contains("--live-indexes");

using var connection = new SqliteConnection($"Data Source={database}");
connection.Open();
Execute("PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000; PRAGMA temp_store = MEMORY;");

var head = Scalar<long>("SELECT seq FROM aud_head WHERE id = 1");
var previous = Scalar<string>("SELECT hash FROM aud_head WHERE id = 1");
var lastCheckpoint = Scalar<long?>("SELECT MAX(number) FROM aud_checkpoints") ?? 0;
var lastSignature = lastCheckpoint == 0 ? null : Scalar<string>($"SELECT signature FROM aud_checkpoints WHERE number = {lastCheckpoint}");
var checkpointFrom = (Scalar<long?>("SELECT MAX(to_seq) FROM aud_checkpoints") ?? 0) + 1;
var keyId = CheckpointSignatures.KeyId(key);
if (Scalar<long>($"SELECT COUNT(*) FROM aud_keys WHERE key_id = '{keyId}'") == 0)
{
    using var insertKey = Command(Checkpoints.Sql.InsertKey, ("KeyId", keyId), ("Algorithm", CheckpointSignatures.Algorithm),
        ("PublicKeyPem", CheckpointSignatures.PublicKeyPem(key)), ("FirstUsedAt", "2025-01-01T00:00:00.000Z"));
    insertKey.ExecuteNonQuery();
}

var indexes = new List<string>();
if (!liveIndexes)
{
    using var list = Command("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'aud_events' AND sql IS NOT NULL");
    var names = new List<string>();
    using (var reader = list.ExecuteReader())
    {
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
            indexes.Add(reader.GetString(1));
        }
    }
    names.ForEach(name => Execute($"DROP INDEX {name}"));
}

// The world the records speak of: 60 clients of the kinds that use the API, 50 000 resources, a few auditors.
var random = new Random(20261124);
string[] kinds = ["prefet", "procureur", "police-nationale", "gendarmerie-nationale", "spip", "maire", "pjj", "auditeur"];
var clients = Enumerable.Range(0, 60).Select(i => (Id: $"c-{kinds[i % kinds.Length]}-{i:D2}", Organisation: Guid.CreateVersion7().ToString(), Kind: kinds[i % kinds.Length])).ToArray();
var resources = Enumerable.Range(0, 50_000).Select(_ => Guid.CreateVersion7().ToString()).ToArray();
(string Action, string Operation, string Type, string Route, int Weight)[] actions =
[
    ("instance.read", "consultation", "instance", "/api/v1/instances/{id}", 30),
    ("exchange.list", "consultation", "instance", "/api/v1/instances/{id}/exchanges", 12),
    ("exchange.read", "consultation", "exchange", "/api/v1/exchanges/{id}", 14),
    ("exchange.send", "communication", "exchange", "/api/v1/instances/{id}/exchanges", 8),
    ("designation.read", "consultation", "designation", "/api/v1/designations/{id}", 10),
    ("designation.event", "modification", "designation", "/api/v1/designations/{id}/events", 3),
    ("meeting.list", "consultation", "instance", "/api/v1/instances/{id}/meetings", 5),
    ("token.issue", "authentication", "client", "/connect/token", 12),
    ("audit.query", "consultation", "audit-log", "/api/v1/audit/events", 2),
    ("member.add", "modification", "member", "/api/v1/instances/{id}/members", 1),
    ("penal-policy-report.read", "consultation", "penal-policy-report", "/api/v1/penal-policy-reports/{id}", 3),
];
var weights = actions.Select(a => a.Weight).ToArray();
var totalWeight = weights.Sum();

using var insert = Command(AuditAppender.Sql.Insert);
var parameters = new[]
{
    "Seq", "Id", "OccurredAt", "ClientId", "OrganisationId", "OrganisationKind", "OnBehalfOf", "Action", "Operation", "ResourceType", "ResourceId",
    "RelatedResourceId", "Recipients", "Justification", "Outcome", "Status", "RuleId", "Route", "TraceId", "DurationMs", "PrevHash", "Hash",
}.ToDictionary(name => name, name => insert.Parameters.Add(new SqliteParameter("@" + name, DBNull.Value)));
insert.Prepare();
using var insertCheckpoint = Command(Checkpoints.Sql.InsertCheckpoint);
foreach (var name in new[] { "Number", "FromSeq", "ToSeq", "Count", "HeadHash", "CreatedAt", "PreviousSignature", "KeyId", "Signature" })
{
    insertCheckpoint.Parameters.Add(new SqliteParameter("@" + name, DBNull.Value));
}

var end = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
var start = end.AddDays(-days);
var step = (end - start).Ticks / Math.Max(1, count);
var nextCheckpointAt = start + checkpointEvery;
var watch = Stopwatch.StartNew();
var transaction = connection.BeginTransaction();
insert.Transaction = transaction;
insertCheckpoint.Transaction = transaction;
var record = new AuditRecord();
var checkpoints = 0;
long inserting = 0;
for (long i = 0; i < count; i++)
{
    var at = start.AddTicks(i * step);
    while (at >= nextCheckpointAt)
    {
        Checkpoint(nextCheckpointAt);
        nextCheckpointAt += checkpointEvery;
    }
    var client = clients[random.Next(clients.Length)];
    var pick = random.Next(totalWeight);
    var a = 0;
    while (pick >= weights[a])
    {
        pick -= weights[a++];
    }
    var action = actions[a];
    var roll = random.Next(100);
    var (outcome, status, rule) = roll < 90 ? ("allowed", action.Operation == "collection" ? 201 : 200, (string?)null)
        : roll < 95 ? ("denied", 404, null)
        : roll < 98 ? ("denied", 403, action.Action == "exchange.send" ? "CONF-1" : "LOG-2")
        : ("failed", 400, null);
    record.Seq = ++head;
    record.Id = Guid.CreateVersion7(at);
    record.OccurredAt = TypeHandlers.SqliteInstant(at);
    record.ClientId = client.Id;
    record.OrganisationId = client.Organisation;
    record.OrganisationKind = client.Kind;
    record.OnBehalfOf = random.Next(10) == 0 ? $"agent-{random.Next(500):D3}" : null;
    record.Action = action.Action;
    record.Operation = action.Operation;
    record.ResourceType = action.Type;
    record.ResourceId = action.Type is "audit-log" or "client" ? null : resources[random.Next(resources.Length)];
    record.RelatedResourceId = null;
    record.Recipients = action.Action == "exchange.send" && outcome == "allowed"
        ? string.Join(' ', Enumerable.Range(0, 1 + random.Next(3)).Select(_ => clients[random.Next(clients.Length)].Organisation)) : null;
    record.Justification = action.Type == "designation" ? "suivi de la personne désignée" : null;
    record.Outcome = outcome;
    record.Status = status;
    record.RuleId = rule;
    record.Route = action.Route;
    record.TraceId = $"00-{Guid.NewGuid():N}-{random.NextInt64():x16}-01";
    record.DurationMs = random.Next(1, 40);
    record.PrevHash = previous;
    record.Hash = record.ComputeHash();
    previous = record.Hash;

    parameters["Seq"].Value = record.Seq;
    parameters["Id"].Value = record.Id.ToString("D");
    parameters["OccurredAt"].Value = record.OccurredAt;
    parameters["ClientId"].Value = record.ClientId;
    parameters["OrganisationId"].Value = record.OrganisationId;
    parameters["OrganisationKind"].Value = record.OrganisationKind;
    parameters["OnBehalfOf"].Value = (object?)record.OnBehalfOf ?? DBNull.Value;
    parameters["Action"].Value = record.Action;
    parameters["Operation"].Value = record.Operation;
    parameters["ResourceType"].Value = record.ResourceType;
    parameters["ResourceId"].Value = (object?)record.ResourceId ?? DBNull.Value;
    parameters["RelatedResourceId"].Value = DBNull.Value;
    parameters["Recipients"].Value = (object?)record.Recipients ?? DBNull.Value;
    parameters["Justification"].Value = (object?)record.Justification ?? DBNull.Value;
    parameters["Outcome"].Value = record.Outcome;
    parameters["Status"].Value = record.Status;
    parameters["RuleId"].Value = (object?)record.RuleId ?? DBNull.Value;
    parameters["Route"].Value = record.Route;
    parameters["TraceId"].Value = record.TraceId;
    parameters["DurationMs"].Value = record.DurationMs;
    parameters["PrevHash"].Value = record.PrevHash;
    parameters["Hash"].Value = record.Hash;
    var before = Stopwatch.GetTimestamp();
    insert.ExecuteNonQuery();
    inserting += Stopwatch.GetTimestamp() - before;

    if ((i + 1) % 100_000 == 0)
    {
        Commit();
        if ((i + 1) % 1_000_000 == 0)
        {
            Console.WriteLine($"{i + 1:N0} records, {watch.Elapsed.TotalSeconds:F0} s");
        }
    }
}
Checkpoint(end);
Commit();
transaction.Dispose();
var filled = watch.Elapsed;
foreach (var sql in indexes)
{
    var indexWatch = Stopwatch.StartNew();
    Execute(sql);
    Console.WriteLine($"{sql}: {indexWatch.Elapsed.TotalSeconds:F1} s");
}
Execute("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;");
Console.WriteLine($"{count:N0} records and {checkpoints:N0} checkpoints in {filled.TotalSeconds:F1} s ({count / filled.TotalSeconds:N0} records/s" +
    $"{(liveIndexes ? ", indexes maintained" : ", indexes dropped")}; the INSERT alone {Stopwatch.GetElapsedTime(0, inserting).TotalMicroseconds / count:F1} µs per record), " +
    $"{watch.Elapsed.TotalSeconds:F1} s with the indexes and ANALYZE");
return 0;

void Checkpoint(DateTimeOffset at)
{
    var checkpoint = new Checkpoint
    {
        Number = ++lastCheckpoint,
        FromSeq = checkpointFrom,
        ToSeq = head,
        Count = Math.Max(0, head - checkpointFrom + 1),
        HeadHash = previous,
        CreatedAt = TypeHandlers.SqliteInstant(at),
        PreviousSignature = lastSignature,
        KeyId = keyId,
    };
    checkpoint.Signature = CheckpointSignatures.Sign(key, checkpoint);
    foreach (SqliteParameter p in insertCheckpoint.Parameters)
    {
        p.Value = typeof(Checkpoint).GetProperty(p.ParameterName[1..])!.GetValue(checkpoint) ?? DBNull.Value;
    }
    insertCheckpoint.ExecuteNonQuery();
    lastSignature = checkpoint.Signature;
    checkpointFrom = head + 1;
    checkpoints++;
}

void Commit()
{
    using (var move = Command(AuditAppender.Sql.MoveHead, ("Seq", head), ("Hash", previous)))
    {
        move.Transaction = transaction;
        move.ExecuteNonQuery();
    }
    transaction.Commit();
    transaction.Dispose();
    transaction = connection.BeginTransaction();
    insert.Transaction = transaction;
    insertCheckpoint.Transaction = transaction;
}

SqliteCommand Command(string sql, params (string Name, object? Value)[] values)
{
    var command = connection.CreateCommand();
    command.CommandText = sql;
    foreach (var (name, value) in values)
    {
        command.Parameters.AddWithValue("@" + name, value ?? DBNull.Value);
    }
    return command;
}

void Execute(string sql)
{
    using var command = Command(sql);
    command.ExecuteNonQuery();
}

T Scalar<T>(string sql)
{
    using var command = Command(sql);
    var value = command.ExecuteScalar();
    return value is null or DBNull ? default! : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
}
