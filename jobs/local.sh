#!/usr/bin/env bash
# Runs any handshake-audit subcommand on this machine (Spark in local mode), building the project
# first when it is not built or the sources changed since the last build.
#
#   jobs/local.sh demo                                   # sample data + audit, end to end
#   jobs/local.sh audit --config conf/local.yaml --as-of 2026-06-30
#   jobs/local.sh --help
#
# Environment: DRIVER_MEMORY (default 2g) sizes the JVM heap; JAVA_OPTS is passed through.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$repo/target/handshake-audit.jar"

if [[ ! -f "$jar" || ! -d "$repo/target/lib" ]] \
   || [[ -n "$(find "$repo/src/main" "$repo/pom.xml" -newer "$jar" -print -quit)" ]]; then
  echo "building handshake-audit (mvn package, tests skipped)..." >&2
  mvn -q -B -f "$repo/pom.xml" -DskipTests package >&2
fi

# Spark binds to this address in local mode; loopback keeps a laptop run off the network.
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

# The jar's manifest carries the --add-opens Spark needs on Java 17 and the class path (lib/).
# The JVM runs in UTC: JDBC hands timestamps over in the JVM's zone; the contract's are UTC.
# shellcheck disable=SC2086
exec java -Xmx"${DRIVER_MEMORY:-2g}" -XX:+UseG1GC -Dio.netty.tryReflectionSetAccessible=true -Duser.timezone=UTC \
  ${JAVA_OPTS:-} -jar "$jar" "$@"
