#!/usr/bin/env bash
# Cluster test: the application jar on a real Spark standalone cluster (one master, two workers,
# all on 127.0.0.1) must write the same audit tables, row for row, as a local-mode run on the
# same inputs. Spark comes from the Maven-resolved jars of the local distribution, laid out as a
# SPARK_HOME (jars/) so the workers can launch executors; no Spark download is needed.
#
#   jobs/cluster-test.sh              # builds if needed
#
# Environment: CLUSTER_TEST_DIR (default target/cluster-test), CLUSTER_TEST_TIMEOUT (seconds for
# each step: generating, each of the two audit runs; default 420).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
work="${CLUSTER_TEST_DIR:-$repo/target/cluster-test}"
run_timeout="${CLUSTER_TEST_TIMEOUT:-420}"
as_of=2026-06-30
dist="$repo/target/handshake-audit-local"
app_jar="$repo/target/handshake-audit.jar"
started=$(date +%s)

log() { echo "cluster-test: $*" >&2; }

if [[ ! -f "$app_jar" || ! -x "$dist/bin/handshake-audit" || ! -d target/test-classes/dev ]]; then
  log "building (mvn package, tests skipped)"
  mvn -q -B -DskipTests package >&2
fi

pids=()
# Every long command runs in the background and is waited for, so a TERM (timeout, Ctrl-C) is
# handled at once and the EXIT trap stops whatever is running.
bg_wait() {
  "$@" &
  local pid=$!
  pids+=("$pid")
  wait "$pid"
}
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    # A worker stops its executors on shutdown; give it a moment, then insist.
    timeout 20 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -9 "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 143' TERM INT

rm -rf "$work"
mkdir -p "$work/spark-home/jars" "$work/logs"
# SPARK_HOME/jars: every Spark-side jar, but not the application jar, which the cluster receives
# from spark-submit (so a library missing from it fails here, not in production).
for jar in "$dist"/lib/*.jar; do
  [[ "$(basename "$jar")" == handshake-audit.jar ]] || ln -s "$jar" "$work/spark-home/jars/"
done
export SPARK_HOME="$work/spark-home"
export SPARK_SCALA_VERSION=2.13
export SPARK_LOCAL_IP=127.0.0.1
spark_cp="$SPARK_HOME/jars/*"
jvm_flags="$(cat "$repo/target/jvm.flags")"
# Cluster daemons log their registrations (INFO); everything else as the job does.
cat > "$work/logback.xml" <<'XML'
<configuration>
  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
    <target>System.err</target>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n</pattern></encoder>
  </appender>
  <logger name="org.apache.spark.deploy" level="INFO"/>
  <logger name="dev.handshake" level="INFO"/>
  <root level="WARN"><appender-ref ref="OUT"/></root>
</configuration>
XML
daemon_opts="-Xmx256m -Dlogback.configurationFile=$work/logback.xml -Dspark.master.rest.enabled=false $jvm_flags"
# Both runs read the same configuration: the embedded default with 2 shuffle partitions, as the
# data is small and the cluster has 2 cores.
sed 's/^  shuffle_partitions: .*/  shuffle_partitions: 2/' conf/local.yaml > "$work/audit.yaml"
grep -q '^  shuffle_partitions: 2$' "$work/audit.yaml"

free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

wait_for() { # seconds, file, pattern, count
  local deadline=$(( $(date +%s) + $1 ))
  until [[ $(grep -c -- "$3" "$2" 2>/dev/null || true) -ge $4 ]]; do
    if (( $(date +%s) > deadline )); then
      log "timed out waiting for '$3' in $2"; tail -20 "$2" >&2; return 1
    fi
    sleep 1
  done
}

# 1. Inputs and the local-mode reference run.
log "generating 2000 sample leads"
bg_wait timeout "$run_timeout" "$dist/bin/handshake-audit" generate --out "$work/in" --leads 2000 --seed 7 > "$work/logs/generate.out" 2> "$work/logs/generate.log"
log "local-mode audit"
t0=$(date +%s)
DRIVER_MEMORY=1g bg_wait timeout "$run_timeout" "$dist/bin/handshake-audit" audit --config "$work/audit.yaml" \
  --input "$work/in" --output "$work/out-local" --as-of "$as_of" > "$work/logs/local.out" 2> "$work/logs/local.log"
local_s=$(( $(date +%s) - t0 ))

# 2. The cluster: a master and two workers, one core and 1.5 GB each.
port=$(free_port 17077)
master="spark://127.0.0.1:$port"
# shellcheck disable=SC2086
java $daemon_opts -cp "$spark_cp" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$port" --webui-port 0 > "$work/logs/master.log" 2>&1 &
pids+=($!)
wait_for 60 "$work/logs/master.log" "Starting Spark master" 1
for n in 1 2; do
  mkdir -p "$work/worker-$n"
  # shellcheck disable=SC2086
  java $daemon_opts -cp "$spark_cp" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
    --cores 1 --memory 1536m --webui-port 0 --work-dir "$work/worker-$n" "$master" \
    > "$work/logs/worker-$n.log" 2>&1 &
  pids+=($!)
done
wait_for 90 "$work/logs/master.log" "Registering worker" 2
log "master $master with 2 workers"

# 3. The application jar through jobs/run-audit.sh, the spark-submit wrapper schedulers call.
# Its spark-submit is SparkSubmit from the same jars, started as bin/spark-submit would start it
# (client mode: the driver runs here, with the JVM flags).
cat > "$work/spark-submit" <<SH
#!/usr/bin/env bash
exec java -Xmx1g -Dlogback.configurationFile=$work/logback.xml $jvm_flags -cp "$spark_cp" \\
  org.apache.spark.deploy.SparkSubmit "\$@"
SH
chmod +x "$work/spark-submit"
# Executors get the flags run-audit.sh reads, plus the daemons' log settings.
echo "-Dlogback.configurationFile=$work/logback.xml $jvm_flags" > "$work/jvm.flags"
t0=$(date +%s)
SPARK_SUBMIT="$work/spark-submit" JVM_FLAGS_FILE="$work/jvm.flags" APP_JAR="$app_jar" \
  EXECUTOR_MEMORY=1g EXECUTOR_CORES=1 DRIVER_MEMORY=1g \
  bg_wait timeout "$run_timeout" jobs/run-audit.sh --master "$master" --config "$work/audit.yaml" \
  --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 --conf spark.ui.enabled=false \
  --conf spark.locality.wait=0 \
  --input "$work/in" --output "$work/out-cluster" --as-of "$as_of" \
  > "$work/logs/cluster.out" 2> "$work/logs/cluster.log" || {
    rc=$?; log "cluster run failed (exit $rc); last lines of its log:"; tail -40 "$work/logs/cluster.log" >&2; exit 1; }
cluster_s=$(( $(date +%s) - t0 ))

# Both workers must have run an executor for this application, or this was no cluster test.
for n in 1 2; do
  if ! compgen -G "$work/worker-$n/app-*/*/stderr" > /dev/null; then
    log "worker $n ran no executor"; exit 1
  fi
done

# 4. Row for row: every audit table and report, run ids and timestamps aside.
log "comparing outputs"
# shellcheck disable=SC2086
bg_wait java -Xmx1g $jvm_flags -Dlogback.configurationFile="$work/logback.xml" \
  -cp "$repo/target/test-classes:$dist/lib/*" dev.handshake.testing.CompareOutputs \
  "$work/out-local" "$work/out-cluster" "$as_of"
log "PASS: local ${local_s}s, cluster ${cluster_s}s, total $(( $(date +%s) - started ))s"
