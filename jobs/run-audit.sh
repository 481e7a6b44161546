#!/usr/bin/env bash
# Submits the nightly audit to a Spark cluster with spark-submit. Schedulers (cron, Airflow) call
# this; its exit code is the job's (0 ok, 2 usage/config, 3 input contract, 4 band alert,
# 5 another run holds the night's lock, 1 anything else).
#
#   jobs/run-audit.sh --master yarn --config /etc/handshake/cluster.yaml --as-of 2026-06-30
#   jobs/run-audit.sh --master spark://host:7077 --config conf/cluster.yaml --from 2026-06-01 --to 2026-06-30
#   jobs/run-audit.sh --config conf/cluster.yaml --conf spark.executor.instances=8 --fail-on-band BREAKING
#
# Options read here (everything else goes to the audit command: --as-of, --from/--to, --force,
# --input, --output, --fail-on-band, --break-stale-lock):
#   --master URL            default: the cluster's spark-defaults.conf (spark-submit's own default)
#   --deploy-mode MODE      client (default) or cluster; in cluster mode the config file is
#                           shipped with --files and read from the driver's working directory
#   --config FILE           YAML configuration (default conf/local.yaml)
#   --conf KEY=VALUE        passed to spark-submit, repeatable
# Environment: SPARK_SUBMIT (default $SPARK_HOME/bin/spark-submit, else spark-submit on PATH),
# APP_JAR (default target/handshake-audit.jar), DRIVER_MEMORY (2g), EXECUTOR_MEMORY (4g),
# EXECUTOR_CORES (2), JVM_FLAGS_FILE (default: jvm.flags next to the jar, written by mvn package).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

spark_submit="${SPARK_SUBMIT:-${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit}"
app_jar="${APP_JAR:-$repo/target/handshake-audit.jar}"
flags_file="${JVM_FLAGS_FILE:-$(dirname "$app_jar")/jvm.flags}"
master=""
deploy_mode="client"
config="conf/local.yaml"
confs=()
audit_args=()

usage() { sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
need() { [[ $# -ge 2 && -n "$2" ]] || { echo "error: $1 needs a value" >&2; exit 2; }; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --master) need "$@"; master="$2"; shift 2 ;;
    --deploy-mode) need "$@"; deploy_mode="$2"; shift 2 ;;
    --config) need "$@"; config="$2"; shift 2 ;;
    --conf) need "$@"; confs+=(--conf "$2"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) audit_args+=("$1"); shift ;;
  esac
done

case "$deploy_mode" in client|cluster) ;; *) echo "error: --deploy-mode must be client or cluster" >&2; exit 2 ;; esac
[[ -f "$app_jar" ]] || { echo "error: application jar $app_jar not found; build it with 'mvn -DskipTests package' or set APP_JAR" >&2; exit 2; }
[[ -f "$flags_file" ]] || { echo "error: $flags_file not found (mvn package writes target/jvm.flags); set JVM_FLAGS_FILE" >&2; exit 2; }
[[ -f "$config" ]] || { echo "error: configuration file $config not found; pass --config" >&2; exit 2; }

# Spark 4 on Java 17 needs these --add-opens in the driver and every executor.
jvm_flags="$(cat "$flags_file")"

submit=("$spark_submit" --class dev.handshake.cli.Main --name "handshake-audit" --deploy-mode "$deploy_mode"
  --driver-memory "${DRIVER_MEMORY:-2g}" --executor-memory "${EXECUTOR_MEMORY:-4g}"
  --executor-cores "${EXECUTOR_CORES:-2}"
  --conf "spark.driver.extraJavaOptions=$jvm_flags" --conf "spark.executor.extraJavaOptions=$jvm_flags")
[[ -n "$master" ]] && submit+=(--master "$master")
if [[ "$deploy_mode" == cluster ]]; then
  # The driver runs on the cluster: ship the configuration and name it by its file name there.
  submit+=(--files "$config")
  config="$(basename "$config")"
fi

exec "${submit[@]}" "${confs[@]}" "$app_jar" audit --config "$config" "${audit_args[@]}"
