#!/usr/bin/env bash
# The API against the machine's limit, in one run on loopback with wrk: a bare Kestrel (bench/Bare, one minimal
# endpoint), GET /health/live, the authenticated and audited GET /api/v1/instances/{id}, an exchange send (members
# with the règlement acknowledged, no attachment) and a designation read (with X-Justification); interleaved (each
# connection count runs every scenario in turn) and repeated; every figure is also given as a ratio to the bare
# Kestrel measured next to it. Counts the access-log records written against the requests answered.
# Not a test: run by hand, on a quiet machine.
#   bench/run.sh [seconds=10] [connections="1 16 64 256"] [repetitions=2]
#   BENCH_PROFILE="audited" bench/run.sh 15 64   profiles that scenario instead (dotnet-trace, sampled thread time) and prints
#                                                the methods that take the most time, inclusive and exclusive
#   BENCH_TRACE=cpu                              the same with CPU samples (perf_events, root)
#   BENCH_TRACE=perf                             CPU samples of the whole machine by process and shared object (perf), then the API's symbols
#   BENCH_TRACE=syscalls                         counts the API's system calls during the run instead (strace -c)
# Then the large-attachment send with concurrent reads (bench/attachments.sh 16 SECONDS*3; BENCH_ATTACHMENTS=0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-"1 16 64 256"}
repetitions=${3:-2}
port=5090
bare_port=5091
base="http://127.0.0.1:$port"

for tool in wrk sqlite3 curl python3; do
  command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk sqlite3 curl; break; }
done

work=$(mktemp -d)
trap 'kill ${world_api:-} ${bare:-} 2>/dev/null || true; wait ${world_api:-} ${bare:-} 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet build src/Api -c Release -v q -nologo >/dev/null
dotnet build bench/Bare -c Release -v q -nologo >/dev/null
ASPNETCORE_URLS="http://127.0.0.1:$bare_port" dotnet bench/Bare/bin/Release/net10.0/Bare.dll >"$work/bare.log" 2>&1 &
bare=$!
# BENCH_TRACE=perf: the JIT's symbols for perf (a perf map, and no W^X double mapping, under which perf sees only
# anonymous addresses).
if [ "${BENCH_TRACE:-}" = perf ]; then export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0; fi
. bench/world.sh
start_world "$port" src/Api/bin/Release/net10.0/EtatMajor.Api.dll "$work"
api=$world_api
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$bare_port/" >/dev/null && break; sleep 0.5; done

# name|audited|wrk arguments
scenarios=(
  "bare Kestrel GET /|no|http://127.0.0.1:$bare_port/"
  "GET /health/live|no|$base/health/live"
  "audited GET /instances/{id}|yes|-H Authorization:\\ Bearer\\ $prefet_token $base/api/v1/instances/$ems"
  "exchange send POST|yes|-s $work/send.lua $base/api/v1/instances/$ccofsi/exchanges"
  "designation read GET|yes|-H Authorization:\\ Bearer\\ $procureur_token -H X-Justification:\\ banc $base/api/v1/designations/$designation"
)

parse() { python3 - "$1" <<'PY'
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
records() { sqlite3 "$work/bench.db" "SELECT COALESCE(MAX(seq), 0) FROM aud_events"; }

if [ -n "${BENCH_PROFILE:-}" ]; then
  for scenario in "${scenarios[@]}"; do
    IFS='|' read -r name audited args <<<"$scenario"
    case "$name" in *"$BENCH_PROFILE"*) ;; *) continue ;; esac
    eval "set -- $args"
    c=${connections%% *}
    threads=$(( c < 2 ? 1 : 2 ))
    wrk -t"$threads" -c"$c" -d"${BENCH_WARM:-15}s" "$@" >/dev/null
    dotnet tool restore >/dev/null
    # BENCH_TRACE=cpu: CPU samples through perf_events (collect-linux, root); default: sampled thread time (waits included).
    if [ "${BENCH_TRACE:-}" = syscalls ]; then
      # BENCH_TRACE=syscalls: the system calls of the API during the run (strace -c), to divide by the requests answered.
      timeout -s INT "$seconds" strace -c -f -p "$api" -o "$work/strace.txt" &
      tracer=$!
      sleep 1
      wrk -t"$threads" -c"$c" -d"$((seconds - 2))s" --latency "$@" | grep -E "requests in|Requests/sec|50%|99%"
      wait $tracer || true
      head -30 "$work/strace.txt"
      continue
    fi
    if [ "${BENCH_TRACE:-}" = perf ]; then
      # BENCH_TRACE=perf: CPU samples of every process (the API, wrk, the kernel) by shared object, then the API's hottest symbols.
      perf record -F 499 -a -g -o "$work/perf.data" -- sleep "$((seconds - 1))" >/dev/null 2>&1 &
      tracer=$!
      wrk -t"$threads" -c"$c" -d"$((seconds - 1))s" --latency "$@" | grep -E "requests in|Requests/sec|50%|99%"
      wait $tracer || true
      cp "$work/perf.data" "${BENCH_TRACE_OUT:-/tmp/etatmajor.perf.data}"
      perf report -i "$work/perf.data" --no-children --sort comm,dso --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -25
      perf report -i "$work/perf.data" --no-children --pid "$api" --sort dso,sym --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -"${BENCH_TOP:-40}"
      continue
    fi
    if [ "${BENCH_TRACE:-}" = cpu ]; then
      dotnet dotnet-trace collect-linux -p "$api" --profile cpu-sampling --duration "00:00:00:$(printf '%02d' "$seconds")" -o "$work/trace.nettrace" >"$work/trace.log" 2>&1 &
    else
      dotnet dotnet-trace collect -p "$api" --profile dotnet-sampled-thread-time --duration "00:00:00:$(printf '%02d' "$seconds")" -o "$work/trace.nettrace" >"$work/trace.log" 2>&1 &
    fi
    tracer=$!
    sleep 1
    wrk -t"$threads" -c"$c" -d"$((seconds - 1))s" --latency "$@" | grep -E "Requests/sec|50%|99%"
    wait $tracer
    echo "== $name, c=$c: inclusive"
    dotnet dotnet-trace report "$work/trace.nettrace" topN -n "${BENCH_TOP:-60}" --inclusive
    echo "== exclusive"
    dotnet dotnet-trace report "$work/trace.nettrace" topN -n 40
    cp "$work/trace.nettrace" "${BENCH_TRACE_OUT:-/tmp/etatmajor.nettrace}"
  done
  exit 0
fi

# Experiments: BENCH_SQL runs SQL on the database once the world is set up (such as dropping an index, to measure what
# it costs); BENCH_ONLY keeps the bare Kestrel and the scenarios whose name contains it.
[ -n "${BENCH_SQL:-}" ] && sqlite3 "$work/bench.db" "$BENCH_SQL"
if [ -n "${BENCH_ONLY:-}" ]; then
  kept=()
  for scenario in "${scenarios[@]}"; do case "$scenario" in bare*|*"$BENCH_ONLY"*) kept+=("$scenario") ;; esac; done
  scenarios=("${kept[@]}")
fi

# The JIT settles first: with 3 s of warm-up, tiered compilation still took 15 % of the machine during the first
# measured runs (perf), and the audited read measured 2 400 req/s instead of 3 300.
for scenario in "${scenarios[@]}"; do
  IFS='|' read -r name audited args <<<"$scenario"
  eval "set -- $args"
  wrk -t2 -c64 -d"$(( ${BENCH_WARM:-15} / 3 + 1 ))s" "$@" >/dev/null
done

results="$work/results.txt"
for rep in $(seq "$repetitions"); do
  for c in $connections; do
    threads=$(( c < 2 ? 1 : 2 ))
    for scenario in "${scenarios[@]}"; do
      IFS='|' read -r name audited args <<<"$scenario"
      eval "set -- $args"
      wrk -t"$threads" -c"$c" -d2s "$@" >"$work/warm.txt"
      before=$(records)
      wrk -t"$threads" -c"$c" -d"${seconds}s" --latency "$@" >"$work/run.txt"
      sleep 0.3
      after=$(records)
      read -r rps p50 p99 requests errors < <(parse "$work/run.txt")
      echo "$rep|$c|$name|$rps|$p50|$p99|$errors|$requests|$([ "$audited" = yes ] && echo $((after - before)) || echo -)" >>"$results"
      echo "  rep $rep c=$c $name: $rps req/s" >&2
    done
  done
done

echo
echo "EtatMajor against a bare Kestrel — $(nproc) cores, ${seconds}s per run, $repetitions repetitions interleaved, SQLite synchronous=FULL"
python3 - "$results" <<'PY'
import sys, collections
rows = [line.rstrip("\n").split("|") for line in open(sys.argv[1])]
by = collections.defaultdict(list)
for rep, c, name, rps, p50, p99, errors, requests, recorded in rows:
    by[(int(c), name)].append((float(rps), float(p50), float(p99), int(errors), int(requests), recorded))
bare = {c: [r[0] for r in v] for (c, name), v in by.items() if name.startswith("bare")}
print(f"{'c':>4} {'scenario':<30} {'req/s':>9} {'ratio':>7} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'answered':>9} {'records':>8}")
for (c, name), values in sorted(by.items(), key=lambda kv: (kv[0][0], [r[2] for r in rows].index(kv[0][1]))):
    rps = sum(v[0] for v in values) / len(values)
    ratio = rps / (sum(bare[c]) / len(bare[c]))
    p50 = max(v[1] for v in values); p99 = max(v[2] for v in values)
    errors = sum(v[3] for v in values); answered = sum(v[4] for v in values)
    recorded = "-" if values[0][5] == "-" else str(sum(int(v[5]) for v in values))
    print(f"{c:>4} {name:<30} {rps:>9.0f} {ratio:>7.3f} {p50:>8.2f} {p99:>8.2f} {errors:>8} {answered:>9} {recorded:>8}")
print("req/s: mean of the repetitions; p50/p99: the worst repetition; answered: responses wrk received in the measured runs;")
print("records: access-log records written during them (a few more than answered: the requests in flight when wrk stops are answered and recorded too).")
PY

if [ "${BENCH_ATTACHMENTS:-1}" != 0 ]; then
  echo
  echo "Large attachments: audited reads (16 connections) while one client sends 4 × 8 MiB exchanges in a loop"
  kill $api $bare 2>/dev/null || true
  wait $api $bare 2>/dev/null || true
  bench/attachments.sh 16 "$((seconds * 3))"
fi
