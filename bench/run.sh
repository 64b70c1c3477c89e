#!/usr/bin/env bash
# Measures, in one run and on loopback, the bare GET /health/live and the authenticated, audited
# GET /api/v1/instances/{id}, with wrk; prints requests/s, p50, p99 and the ratio. Not a test: run by hand.
#   bench/run.sh [connections=64] [seconds=20]
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-64}
seconds=${2:-20}
port=5090
base="http://127.0.0.1:$port"

for tool in wrk sqlite3 curl python3; do
  command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk sqlite3 curl; break; }
done

work=$(mktemp -d)
trap 'kill $api 2>/dev/null || true; wait $api 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet build src/Api -c Release -v q -nologo >/dev/null
ASPNETCORE_ENVIRONMENT=Development \
ASPNETCORE_URLS="$base" \
ConnectionStrings__EtatMajor="Data Source=$work/bench.db" \
Bootstrap__AdminClientId=bench-admin Bootstrap__AdminClientSecret=bench-admin-secret \
Logging__LogLevel__Default=Warning Swagger__Enabled=false \
  dotnet src/Api/bin/Release/net10.0/EtatMajor.Api.dll >"$work/api.log" 2>&1 &
api=$!
for _ in $(seq 60); do curl -sf "$base/health/ready" >/dev/null && break; sleep 0.5; done

json() { python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
token() { curl -sf -u "$1:$2" -d grant_type=client_credentials "$base/connect/token" | json '["access_token"]'; }
post() { curl -sf -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3" "$base$2"; }

admin=$(token bench-admin bench-admin-secret)
prefet=$(post "$admin" /api/v1/organisations '{"code":"bench-prefet","name":"Préfecture","kind":"prefet","departement":"33"}' | json '["id"]')
procureur=$(post "$admin" /api/v1/organisations '{"code":"bench-parquet","name":"Parquet","kind":"procureur","departement":"33"}' | json '["id"]')
client=$(post "$admin" /api/v1/clients "{\"organisationId\":\"$prefet\",\"displayName\":\"bench\",\"scopes\":[\"governance\"]}")
client_id=$(echo "$client" | json '["clientId"]'); client_secret=$(echo "$client" | json '["clientSecret"]')
bearer=$(token "$client_id" "$client_secret")
instance=$(post "$bearer" /api/v1/instances "{\"kind\":\"ems\",\"departement\":\"33\",\"name\":\"EMS\",\"prefetOrganisationId\":\"$prefet\",\"procureurOrganisationId\":\"$procureur\"}" | json '["id"]')

measure() { # name, wrk arguments...
  local name=$1; shift
  wrk -t2 -c"$connections" -d5s "$@" >/dev/null                      # warm-up
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" >"$work/$name.txt"
  python3 - "$work/$name.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
requests = int(re.search(r"(\d+) requests in", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{rps:.0f} {ms('50'):.2f} {ms('99'):.2f} {requests} {errors.group(1) if errors else 0}")
PY
}

before=$(sqlite3 "$work/bench.db" "SELECT COUNT(*) FROM aud_events")
read -r bare_rps bare_p50 bare_p99 _ bare_errors < <(measure bare "$base/health/live")
read -r read_rps read_p50 read_p99 read_requests read_errors < <(measure audited -H "Authorization: Bearer $bearer" "$base/api/v1/instances/$instance")
after=$(sqlite3 "$work/bench.db" "SELECT COUNT(*) FROM aud_events")
sync=$(sqlite3 "$work/bench.db" "PRAGMA journal_mode")

ratio=$(python3 -c "print(f'{$read_rps / $bare_rps:.3f}')")
echo
echo "EtatMajor benchmark — $(nproc) cores, $connections connections, ${seconds}s each, SQLite journal_mode=$sync (the API sets synchronous=FULL on every connection; a test asserts it)"
printf '%-36s %10s %9s %9s %8s\n' endpoint "req/s" "p50 ms" "p99 ms" non-2xx
printf '%-36s %10s %9s %9s %8s\n' "GET /health/live (bare)" "$bare_rps" "$bare_p50" "$bare_p99" "$bare_errors"
printf '%-36s %10s %9s %9s %8s\n' "GET /api/v1/instances/{id} (audited)" "$read_rps" "$read_p50" "$read_p99" "$read_errors"
echo "ratio audited/bare: $ratio   (target ≥ 0.08 with p99 < 50 ms)"
echo "access-log records written during the runs: $((after - before)) (wrk counted $read_requests measured audited requests, plus warm-up)"
