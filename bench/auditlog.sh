#!/usr/bin/env bash
# The access log at scale: fills it with COUNT records over a year (bench/AuditFill: a valid chain, a signed checkpoint
# every hour), then, against the real API (Release, SQLite, synchronous=FULL) with an auditor's token:
#   - auditors' pages by client, action, outcome, resource id, resource type and period, first page, middle and end
#     of the log (keyset cursors made for those depths): p50 and p99 of 200 sequential requests each;
#   - GET /api/v1/audit/integrity over the whole log, the export of one month and of the whole log (records/s and the
#     API's peak working set, reset before each);
#   - the offline verifier over the whole export (time and peak memory);
#   - what the indexes cost: the database's size per index, and the time per record appended with every index
#     maintained against the same without the four indexes of the auditors' queries.
# Not a test: run by hand, on a quiet machine. It needs about 1.5 KB of disk per record (10 M: ~15 GB, in BENCH_DIR).
#   bench/auditlog.sh [count=1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000000}
port=5092
base="http://127.0.0.1:$port"
work=$(mktemp -d "${BENCH_DIR:-/tmp}/auditlog.XXXXXX")
api=""
trap '[ -n "$api" ] && kill $api 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
for tool in sqlite3 curl python3 openssl; do
  command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 curl python3 openssl; break; }
done

dotnet build src/Api -c Release -v q -nologo >/dev/null
dotnet build bench/AuditFill -c Release -v q -nologo >/dev/null
dll=src/Api/bin/Release/net10.0/EtatMajor.Api.dll
openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt >"$work/audit-key.pem"
ASPNETCORE_ENVIRONMENT=Development dotnet "$dll" migrate --data "$work" >/dev/null
db=$(ls "$work"/*.db)

echo "== fill: $count records"
dotnet bench/AuditFill/bin/Release/net10.0/AuditFill.dll "$db" "$count" "$work/audit-key.pem" | tail -12
echo "database: $(du -m "$db" | cut -f1) MB, $(( $(stat -c %s "$db") / count )) bytes per record"
sqlite3 "$db" "SELECT name, SUM(pgsize) / 1048576 AS mb, SUM(pgsize) / $count AS bytes_per_record FROM dbstat WHERE name LIKE '%aud_events%' GROUP BY name ORDER BY name" \
  2>/dev/null | column -t -s '|' || echo "(this sqlite3 has no dbstat)"

ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="$base" Audit__SigningKey__Path="$work/audit-key.pem" \
Bootstrap__AdminClientId=bench-admin Bootstrap__AdminClientSecret=bench-admin-secret \
Logging__LogLevel__Default=Warning Swagger__Enabled=false Jobs__RunOnSchedule=false \
  dotnet "$dll" --data "$work" >"$work/api.log" 2>&1 &
api=$!
for _ in $(seq 240); do curl -sf "$base/health/ready" >/dev/null && break; sleep 0.5; done

json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
token() { curl -sf -u "$1:$2" -d grant_type=client_credentials "$base/connect/token" | json '["access_token"]'; }
admin=$(token bench-admin bench-admin-secret)
post() { curl -sf -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' -d "$2" "$base$1"; }
auditeur=$(post /api/v1/organisations '{"code":"bench-dpd","name":"DPD","kind":"auditeur"}' | json '["id"]')
answer=$(post /api/v1/clients "{\"organisationId\":\"$auditeur\",\"displayName\":\"bench\",\"scopes\":[\"audit\"]}")
auditor=$(token "$(echo "$answer" | json '["clientId"]')" "$(echo "$answer" | json '["clientSecret"]')")
resource=$(sqlite3 "$db" "SELECT resource_id FROM aud_events WHERE seq = $((count / 2))")
[ -n "$resource" ] || resource=$(sqlite3 "$db" "SELECT resource_id FROM aud_events WHERE resource_id IS NOT NULL LIMIT 1")
client=$(sqlite3 "$db" "SELECT client_id FROM aud_events WHERE seq = 1")
peak() { awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$api/status"; }
reset_peak() { echo 5 >"/proc/$api/clear_refs"; }

echo
echo "== auditors' pages (limit 100), 200 sequential requests each, latency seen by the client"
python3 - "$base" "$auditor" "$count" "$client" "$resource" <<'PY'
import base64, http.client, sys, time, json
base, token, count, client, resource = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
host, port = base.split("//")[1].split(":")
conn = http.client.HTTPConnection(host, int(port))
cursor = lambda key: base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")
def run(query):
    times, items = [], 0
    for _ in range(200):
        t = time.perf_counter()
        conn.request("GET", "/api/v1/audit/events?limit=100&" + query, headers={"Authorization": "Bearer " + token})
        r = conn.getresponse(); body = r.read()
        times.append((time.perf_counter() - t) * 1000)
        if r.status != 200: raise SystemExit(f"{query}: {r.status} {body[:300]}")
        items = len(json.loads(body)["items"])
    times.sort()
    return times[len(times) // 2], times[int(len(times) * 0.99) - 1], items
depths = [("first page", None), ("middle", count // 2), ("end", count - count // 100)]
filters = [("client", f"clientId={client}"), ("action (10 %)", "action=designation.read"), ("action (1 %)", "action=member.add"),
           ("outcome failed (2 %)", "outcome=failed"), ("resource id", f"resourceId={resource}"), ("resource type", "resourceType=penal-policy-report"),
           ("no filter", "")]
run("")  # warms the connection, the token cache and the statements
print(f"{'filter':<24} {'depth':<11} {'p50 ms':>7} {'p99 ms':>7} {'items':>6}")
for name, query in filters:
    for depth, seq in depths:
        q = query + (f"&cursor={cursor(str(seq))}" if seq else "")
        p50, p99, items = run(q)
        print(f"{name:<24} {depth:<11} {p50:>7.2f} {p99:>7.2f} {items:>6}")
periods = [("one day", "from=2026-03-14T00:00:00Z&to=2026-03-15T00:00:00Z", "2026-03-14T12:00:00.000Z"),
           ("the year", "from=2025-01-01T00:00:00Z&to=2027-01-01T00:00:00Z", "2026-05-24T12:00:00.000Z"),
           ("a month + client", f"from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&clientId={client}", "2026-03-15T00:00:00.000Z"),
           ("a month + failed", "from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&outcome=failed", "2026-03-15T00:00:00.000Z")]
for name, query, middle in periods:
    for depth, key in [("first page", None), ("middle", f"{middle}|0")]:
        p50, p99, items = run(query + (f"&cursor={cursor(key)}" if key else ""))
        print(f"{'period: ' + name:<24} {depth:<11} {p50:>7.2f} {p99:>7.2f} {items:>6}")
PY

timed() { # name, url, output file: seconds, records (lines minus header/end/checkpoints for exports), peak MB
  reset_peak
  local start end
  start=$(date +%s.%N)
  curl -sf -H "Authorization: Bearer $auditor" "$base$2" -o "$3"
  end=$(date +%s.%N)
  echo "$1|$(python3 -c "print(f'{$end - $start:.2f}')")|$(peak)"
}
echo
echo "== streaming (peak working set of the API, reset before each)"
IFS='|' read -r name seconds mb < <(timed integrity /api/v1/audit/integrity "$work/integrity.json")
checked=$(json '["checked"]' <"$work/integrity.json")
echo "integrity, whole log: $(json '["status"]' <"$work/integrity.json"), $checked records in $seconds s = $(python3 -c "print(f'{$checked / $seconds:,.0f}')") records/s, peak working set $mb MB"
IFS='|' read -r name seconds mb < <(timed month "/api/v1/audit/events/export?format=ndjson&from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z" "$work/month.ndjson")
lines=$(grep -c '"type":"event"' "$work/month.ndjson")
echo "export of one month: $lines records in $seconds s = $(python3 -c "print(f'{$lines / $seconds:,.0f}')") records/s, peak working set $mb MB"
IFS='|' read -r name seconds mb < <(timed all "/api/v1/audit/events/export?format=ndjson" "$work/all.ndjson")
echo "export of the whole log: $(du -m "$work/all.ndjson" | cut -f1) MB in $seconds s = $(python3 -c "print(f'{$count / $seconds:,.0f}')") records/s, peak working set $mb MB"
curl -sf -H "Authorization: Bearer $auditor" "$base/api/v1/audit/keys" | python3 -c "import sys,json; [print(k['publicKeyPem']) for k in json.load(sys.stdin)['items']]" >"$work/keys.pem"
kill $api; wait $api 2>/dev/null || true; api=""

echo
echo "== offline verifier over the whole export"
/usr/bin/time -f "%e s, peak memory %M KB" dotnet "$dll" audit verify "$work/all.ndjson" --public-key "$work/keys.pem" 2>&1 | tail -2
rm -f "$work/all.ndjson" "$work/month.ndjson"

echo
echo "== what the indexes cost per record written (200 000 records appended, indexes maintained)"
append() { dotnet bench/AuditFill/bin/Release/net10.0/AuditFill.dll "$db" 200000 "$work/audit-key.pem" 1 60 --live-indexes | tail -1 | grep -o 'the INSERT alone [0-9.]* µs per record'; }
append >/dev/null  # the same start for both: the table's pages read once
echo "every index:                     $(append)"
sqlite3 "$db" "DROP INDEX ix_aud_events_resource_type; DROP INDEX ix_aud_events_action; DROP INDEX ix_aud_events_outcome; DROP INDEX ix_aud_events_resource; CREATE INDEX ix_aud_events_resource ON aud_events (resource_type, resource_id, seq);"
append >/dev/null  # again the same start: the table and the remaining indexes read once after the change
echo "without the auditors' 4 indexes: $(append)"
