#!/usr/bin/env bash
# Runs any handshake-audit subcommand on this machine (Spark in local mode), building the project
# first when it is not built or the sources changed since the last build.
#
#   jobs/local.sh demo                                   # sample data + audit, end to end
#   jobs/local.sh audit --config conf/local.yaml --as-of 2026-06-30
#   jobs/local.sh --help
#
# It runs the local distribution mvn package builds (target/handshake-audit-local/bin/handshake-audit,
# Spark and every dependency in its lib/). Environment: DRIVER_MEMORY (default 2g) sizes the JVM
# heap; JAVA_OPTS is passed through; HANDSHAKE_LOG_FORMAT=json switches logs to JSON lines.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
launcher="$repo/target/handshake-audit-local/bin/handshake-audit"

if [[ ! -x "$launcher" ]] \
   || [[ -n "$(find "$repo/src/main" "$repo/src/dist" "$repo/pom.xml" -newer "$launcher" -print -quit)" ]]; then
  # Maven's output goes to a log (its colour codes included) and a progress line to stderr; the
  # log is shown, without colour codes, only when the build fails.
  mkdir -p "$repo/target"
  log="$repo/target/build.log"
  echo "building handshake-audit (mvn package, tests skipped; a first build downloads about 0.5 GB)..." >&2
  start=$SECONDS
  mvn -q -B -Dstyle.color=never -f "$repo/pom.xml" -DskipTests package >"$log" 2>&1 &
  build=$!
  while kill -0 "$build" 2>/dev/null; do
    sleep 1
    if (( (SECONDS - start) % 15 == 0 )) && kill -0 "$build" 2>/dev/null; then
      echo "  still building ... $((SECONDS - start)) s" >&2
    fi
  done
  if ! wait "$build"; then
    sed 's/\x1b\[[0-9;]*m//g' "$log" | tail -40 >&2
    echo "build failed after $((SECONDS - start)) s (full log: $log)" >&2
    exit 1
  fi
  echo "built in $((SECONDS - start)) s" >&2
fi

exec "$launcher" "$@"
