#!/usr/bin/env bash
# Times `./mvnw -Plocal-stack package` from the command to "Every service ready", as local-stack's
# README reports it: the modules already built, the services' AOT caches present (a first run
# records them and is not counted). Then, as the baseline, the same command as it started before the
# AOT caches: no caches, services on G1, Maven's JVM with C2. Prints the machine, the date, the load
# average before each run, the figures, the ratio and whether the 20 s target is met.
#
#   local-stack/measure-start.sh [runs]     (from the repository's root; default 2 runs of each)
#
# Each run is stopped with SIGTERM once ready and must end with BUILD SUCCESS. The default ports
# must be free. Runs are 30 s apart so that the load average reads other work, not the last run.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-2}
target=20
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One run: prints "<seconds to ready> <load average at start>"; extra arguments are variables.
run() {
  local out="$work/out" load
  load=$(cut -d' ' -f1 /proc/loadavg)
  local start
  start=$(date +%s%N)
  env "$@" setsid ./mvnw -Plocal-stack package >"$out" 2>&1 &
  local pid=$!
  until grep -q "Every service ready\|Could not start\|BUILD FAILURE" "$out"; do
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  local ready
  ready=$(date +%s%N)
  if ! grep -q "Every service ready" "$out"; then
    cat "$out" >&2
    echo "the stack did not start" >&2
    exit 1
  fi
  # A run that recorded caches: they are written in the background; the stop waits for them.
  if grep -q "recording one" "$out"; then
    until [ "$(grep -c "wrote its AOT cache\|did not write its AOT cache" "$out")" -ge \
      "$(grep -c "recording one" "$out")" ]; do
      sleep 1
    done
  fi
  kill -TERM "$pid"
  wait "$pid" || true
  if ! grep -q "BUILD SUCCESS" "$out"; then
    tail -40 "$out" >&2
    echo "the stop did not end with BUILD SUCCESS" >&2
    exit 1
  fi
  if grep -q "recording one" "$out"; then
    echo "recording"
  else
    echo "$(((ready - start) / 1000000))" | awk -v load="$load" '{printf "%.1f %s\n", $1 / 1000, load}'
  fi
}

# Runs until one is timed (a run that recorded caches is not), $runs times.
series() {
  local label=$1
  shift
  local i=0 result
  while [ "$i" -lt "$runs" ]; do
    sleep 30
    result=$(run "$@")
    if [ "$result" = recording ]; then
      echo "  $label: recorded the AOT caches (not timed)" >&2
      continue
    fi
    echo "  $label: ${result% *} s (load average ${result#* } at the start)" >&2
    echo "${result% *}"
    i=$((i + 1))
  done
}

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "Building the modules first (not timed)"
./mvnw -q package -DskipTests >/dev/null
echo "Command → every service ready:"
now=$(series "now" | median)
before=$(series "baseline" LOCAL_STACK_AOT_CACHE=off \
  LOCAL_STACK_JVM_OPTIONS="-Xmx384m -XX:TieredStopAtLevel=1" MAVEN_OPTS=-XX:TieredStopAtLevel=4 | median)
echo "Median: ${now} s; baseline (no AOT caches, services on G1, Maven's JVM with C2) ${before} s;" \
  "ratio $(awk -v a="$now" -v b="$before" 'BEGIN {printf "%.2f", a / b}')"
if awk -v a="$now" -v t="$target" 'BEGIN {exit !(a <= t)}'; then
  echo "Target: every service ready within ${target} s of the command: met"
else
  echo "Target: every service ready within ${target} s of the command: NOT met"
fi
