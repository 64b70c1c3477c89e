#!/usr/bin/env bash
# Two builds of the API side by side, to measure a change smaller than the spread of separate runs (on this machine
# two runs of one build differ by 10-20 % from one minute to the next): each build gets its own process and world
# (bench/world.sh), then they take turns, a short wrk run each, and the figure kept is the median of the paired
# ratios. Prints each run's req/s, the API's own CPU time per request (from /proc), p99, and the medians.
#   bench/compare.sh A_DIR B_DIR [read|send] [pairs=8] [seconds=4]
# A_DIR and B_DIR are Release outputs of src/Api (copy bin/Release/net10.0 aside before changing the code).
# Not a test: run by hand, on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
a_dir=$1; b_dir=$2; scenario=${3:-read}; pairs=${4:-8}; seconds=${5:-4}
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk curl; break; }
done
work=$(mktemp -d)
trap 'kill ${pid_a:-} ${pid_b:-} 2>/dev/null || true; wait ${pid_a:-} ${pid_b:-} 2>/dev/null || true; rm -rf "$work"' EXIT
. bench/world.sh

# One world per build: the wrk arguments of the scenario, and the process to read the CPU of.
mkdir -p "$work/a" "$work/b"
args_of() {
  if [ "$scenario" = send ]; then echo "-s $1/send.lua $base/api/v1/instances/$ccofsi/exchanges"
  else echo "-H Authorization:\\ Bearer\\ $prefet_token $base/api/v1/instances/$ems"; fi
}
start_world 5094 "$a_dir/EtatMajor.Api.dll" "$work/a"; pid_a=$world_api; args_a=$(args_of "$work/a")
start_world 5095 "$b_dir/EtatMajor.Api.dll" "$work/b"; pid_b=$world_api; args_b=$(args_of "$work/b")

# One run: req/s, API CPU µs per request, p99 (ms), non-2xx answers.
run() {
  local pid=$1 duration=$2 args=$3 before after out
  before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  eval "set -- $args"
  out=$(wrk -t2 -c64 -d"${duration}s" --latency "$@")
  after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  python3 - "$out" "$before" "$after" "$(getconf CLK_TCK)" <<'PY'
import re, sys
out, before, after, tck = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
requests = int(re.search(r"(\d+) requests in", out).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
print(f"{rps:.0f} {(after - before) / tck * 1e6 / requests:.1f} {p99:.2f} {errors.group(1) if errors else 0}")
PY
}
# The JIT settles first (15 s each).
run "$pid_a" 15 "$args_a" >/dev/null; run "$pid_b" 15 "$args_b" >/dev/null
rows=""
for _ in $(seq "$pairs"); do
  rows+="$(run "$pid_a" "$seconds" "$args_a") $(run "$pid_b" "$seconds" "$args_b")"$'\n'
done
python3 - "$rows" "$scenario" <<'PY'
import sys, statistics as st
rows = [line.split() for line in sys.argv[1].strip().split("\n")]
print(f"{sys.argv[2]}, c = 64: A | B   (req/s, API CPU µs per request, p99 ms, non-2xx)")
for r in rows:
    print(f"  {r[0]:>7} {r[1]:>8} {r[2]:>7} {r[3]:>3} | {r[4]:>7} {r[5]:>8} {r[6]:>7} {r[7]:>3}")
rps = st.median(float(r[4]) / float(r[0]) for r in rows)
cpu = st.median(float(r[5]) / float(r[1]) for r in rows)
print(f"median of the paired ratios B/A: req/s {rps:.3f}, CPU per request {cpu:.3f}")
PY
