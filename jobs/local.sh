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
  echo "building handshake-audit (mvn package, tests skipped)..." >&2
  mvn -q -B -f "$repo/pom.xml" -DskipTests package >&2
fi

exec "$launcher" "$@"
