#!/usr/bin/env bash
# Benchmark: generates N sample leads, then times a plain scan of the inputs and the audit in
# one Spark session, with the driver heap fixed (default 2g), and reports wall time and peak RSS.
#
#   bench/run.sh 100000 1000000        # one line of results per size
#
# BENCH_DIR (default target/bench) holds the generated data and results; BENCH_CONFIG (default
# conf/local.yaml) is the configuration, e.g. one whose spark.conf turns on Spark's event log.
#
# Each result line carries speed_probe_seconds=BEFORE/AFTER, a fixed CPU workload timed around the
# run, so that figures from different hours or machines can be set beside how fast the machine was.
#
# Budget (issue #2): the audit on 1M leads under 2 minutes with a 2 GB driver heap.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
work="${BENCH_DIR:-$repo/target/bench}"
export DRIVER_MEMORY="${DRIVER_MEMORY:-2g}"
sizes=("${@:-100000}")
mkdir -p "$work"
results="$work/results.txt"
: > "$results"

for n in "${sizes[@]}"; do
  data="$work/data-$n"
  if [[ ! -f "$data/manifest.json" ]]; then
    gen_start=$(date +%s%N)
    jobs/local.sh generate --out "$data" --leads "$n" --seed 7 >/dev/null
    gen_ms=$(( ($(date +%s%N) - gen_start) / 1000000 ))
    gen_s="$((gen_ms / 1000)).$(printf '%03d' $((gen_ms % 1000)))"
  else
    gen_s="(reused)"
  fi
  rm -rf "$work/out-$n"
  /usr/bin/time -v -o "$work/time-$n.txt" jobs/local.sh bench --config "${BENCH_CONFIG:-conf/local.yaml}" \
      --input "$data" --output "$work/out-$n" --as-of 2026-06-30 > "$work/bench-$n.txt" 2> "$work/log-$n.txt"
  line=$(grep '^bench ' "$work/bench-$n.txt")
  wall=$(grep 'Elapsed (wall clock)' "$work/time-$n.txt" | awk '{print $NF}')
  rss_kb=$(grep 'Maximum resident set size' "$work/time-$n.txt" | awk '{print $NF}')
  printf 'leads=%s generate_seconds=%s %s process_wall=%s peak_rss_mb=%d driver_heap=%s\n' \
      "$n" "$gen_s" "${line#bench }" "$wall" "$((rss_kb / 1024))" "$DRIVER_MEMORY" | tee -a "$results"
done
