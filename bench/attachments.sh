#!/usr/bin/env bash
# Large attachments and the rest of the API: while one client sends exchanges carrying 4 attachments of
# 8 MiB of ordinary text in a loop, wrk measures the audited GET /api/v1/instances/{id} of other clients.
# Prints the time of each send and the latency of the concurrent reads. Not a test: run by hand (Release).
#   bench/attachments.sh [read-connections=16] [seconds=30]
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-16}
seconds=${2:-30}
port=5093
base="http://127.0.0.1:$port"

for tool in wrk curl jq python3; do
  command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk curl jq; break; }
done

work=$(mktemp -d)
trap 'kill $api $sender 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
sender=""

dotnet build src/Api -c Release -v q -nologo >/dev/null
ASPNETCORE_ENVIRONMENT=Development Logging__LogLevel__Default=Warning Swagger__Enabled=false \
  RateLimiting__PerClient__PermitsPerSecond=1000000 RateLimiting__PerClient__Burst=1000000 \
  dotnet src/Api/bin/Release/net10.0/EtatMajor.Api.dll --urls "$base" --data "$work" >"$work/api.log" 2>&1 &
api=$!
for _ in $(seq 120); do curl -sf "$base/health/ready" >/dev/null && break; sleep 0.5; done

# The tour's helpers and its world (a préfecture, the police… a CCOFSI with its règlement acknowledged).
ETATMAJOR_URL=$base source docs/tour.sh >"$work/tour.log" 2>&1

python3 - "$work/body.json" "$POLICE" <<'PY'
import base64, json, sys
line = b"Point de situation hebdomadaire : passages, rassemblements et signalements sans suite particuliere.\n"
text = (line * (8 * 1024 * 1024 // len(line) + 1))[: 8 * 1024 * 1024]
attachment = base64.b64encode(text).decode()
body = {"subject": "Releves", "body": "Releves joints.", "recipientOrganisationIds": [sys.argv[2]],
        "attachments": [{"fileName": f"releve-{i}.txt", "mediaType": "text/plain", "documentKind": "statistics", "contentBase64": attachment} for i in range(4)]}
json.dump(body, open(sys.argv[1], "w"))
PY

# One send first: if the API refuses the body, say why and stop (a benchmark of refusals measures nothing).
first=$(curl -s -w '\n%{http_code}' -H "Authorization: Bearer $PREFET_TOKEN" -H 'Content-Type: application/json' -H 'X-Justification: banc d’essai' \
  --data-binary @"$work/body.json" "$base/api/v1/instances/$CCOFSI/exchanges")
[ "${first##*$'\n'}" = 201 ] || { echo "The send is refused: ${first:0:600}" >&2; exit 1; }

send_loop() {
  while true; do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $PREFET_TOKEN" -H 'Content-Type: application/json' -H 'X-Justification: banc d’essai' \
      --data-binary @"$work/body.json" "$base/api/v1/instances/$CCOFSI/exchanges" >>"$work/sends.txt"
  done
}

echo "Quiet reads ($connections connections, 10 s)…"
wrk -t2 -c"$connections" -d10s --latency -H "Authorization: Bearer $PREFET_TOKEN" "$base/api/v1/instances/$CCOFSI" >"$work/quiet.txt"
echo "Reads while 4 × 8 MiB exchanges are sent in a loop ($connections connections, ${seconds} s)…"
send_loop &
sender=$!
sleep 2
wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Authorization: Bearer $PREFET_TOKEN" "$base/api/v1/instances/$CCOFSI" >"$work/loaded.txt"
kill $sender; wait $sender 2>/dev/null || true; sender=""

python3 - "$work" "$connections" <<'PY'
import re, statistics, sys
work, connections = sys.argv[1], sys.argv[2]
def read(name):
    text = open(f"{work}/{name}.txt").read()
    def ms(label):
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return rps, ms("50"), ms("99"), int(errors.group(1)) if errors else 0
sends = [line.split() for line in open(f"{work}/sends.txt") if line.strip()]
times = [float(t) for code, t in sends if code == "201"]
print()
print(f"Audited GET /api/v1/instances/{{id}} at {connections} connections")
print(f"{'':28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
for label, name in (("quiet", "quiet"), ("during 4 x 8 MiB sends", "loaded")):
    rps, p50, p99, errors = read(name)
    print(f"{label:28} {rps:8.0f} {p50:8.2f} {p99:8.2f} {errors:8d}")
print(f"sends: {len(sends)} ({sum(1 for c, _ in sends if c != '201')} not 201); time of one send: "
      f"median {statistics.median(times):.2f} s, min {min(times):.2f} s, max {max(times):.2f} s" if times
      else f"no send completed: {len(sends)} answered with {sorted(set(code for code, _ in sends))}")
PY
