#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, broker+controller in one JVM) for tests and local
# use, without Docker: Maven resolves the broker's jars, Java 17 runs kafka.Kafka directly
# (RELIABILITY.md §5). Loopback only.
#
#   tools/kafka/kafka.sh install        resolve the classpath (Maven's local repository caches the jars)
#   tools/kafka/kafka.sh start          install, format once, start in the background, wait until ready
#   tools/kafka/kafka.sh stop           SIGTERM (clean shutdown), SIGKILL after KAFKA_STOP_TIMEOUT
#   tools/kafka/kafka.sh status         exit 0 when running and answering, 3 when not running, 1 otherwise
#   tools/kafka/kafka.sh restart        clean bounce: stop (SIGTERM) then start
#   tools/kafka/kafka.sh kill           hard shutdown: SIGKILL, nothing else
#   tools/kafka/kafka.sh hard-restart   hard bounce: SIGKILL then start on the same data (no re-format)
#   tools/kafka/kafka.sh reset          stop and delete the run directory (data, logs, config)
#
# Environment: KAFKA_VERSION (3.9.x; default below), KAFKA_PORT (client listener, default 19092),
# KAFKA_CONTROLLER_PORT (default KAFKA_PORT+1), KAFKA_RUN_DIR (default <repo>/.kafka/run),
# KAFKA_CACHE_DIR (resolved classpath, default <repo>/.kafka), KAFKA_HEAP (default 512m),
# KAFKA_READY_TIMEOUT (s, default 90), KAFKA_STOP_TIMEOUT (s, default 30).
# Non-interactive (Maven runs with -B -q), so it works the same in CI.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"

KAFKA_VERSION="${KAFKA_VERSION:-3.9.2}"
KAFKA_PORT="${KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
KAFKA_RUN_DIR="${KAFKA_RUN_DIR:-$REPO/.kafka/run}"
KAFKA_HEAP="${KAFKA_HEAP:-512m}"
KAFKA_READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
HOST=127.0.0.1

RUN="$KAFKA_RUN_DIR"
PID_FILE="$RUN/broker.pid"
# The resolved classpath is shared by every run dir of this checkout (e.g. a second broker for
# fault tests); the jars themselves stay in Maven's local repository.
KAFKA_CACHE_DIR="${KAFKA_CACHE_DIR:-$REPO/.kafka}"
CP_FILE="$KAFKA_CACHE_DIR/classpath-$KAFKA_VERSION.txt"
LOG_DIR="$RUN/logs"

say() { echo "[kafka] $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

case "$KAFKA_VERSION" in
  3.9.*) ;;
  # 4.x moved to Log4j 2 and removed old protocol versions kafkajs may still use (RELIABILITY.md §5.1).
  *) die "KAFKA_VERSION=$KAFKA_VERSION: only 3.9.x is supported by this script" ;;
esac

# ---- classpath --------------------------------------------------------------------------------

classpath_is_complete() {
  [[ -s "$CP_FILE" ]] || return 1
  local jar
  local IFS=:
  for jar in $(cat "$CP_FILE"); do [[ -f "$jar" ]] || return 1; done
}

cmd_install() {
  command -v java >/dev/null || die "java not found (Java 17 is needed)"
  mkdir -p "$RUN" "$KAFKA_CACHE_DIR"
  if classpath_is_complete; then
    say "classpath for Kafka $KAFKA_VERSION already resolved ($CP_FILE)"
    return 0
  fi
  command -v mvn >/dev/null || die "mvn not found (Maven resolves the broker's jars)"
  say "resolving Kafka $KAFKA_VERSION with Maven (jars are cached in Maven's local repository)"
  local started=$SECONDS
  # -B: no interactive prompts, no progress bars (CI); -q: only errors.
  if ! mvn -B -q -Dstyle.color=never -f "$HERE/pom.xml" dependency:build-classpath \
      -Dkafka.version="$KAFKA_VERSION" -Dmdep.outputFile="$CP_FILE.$$" >"$RUN/mvn.log" 2>&1; then
    cat "$RUN/mvn.log" >&2
    rm -f "$CP_FILE.$$"
    die "Maven could not resolve Kafka $KAFKA_VERSION (log above, also in $RUN/mvn.log)"
  fi
  mv "$CP_FILE.$$" "$CP_FILE"
  classpath_is_complete || die "resolved classpath lists missing jars ($CP_FILE)"
  say "classpath resolved in $((SECONDS - started)) s"
}

# ---- process bookkeeping ----------------------------------------------------------------------

# The pid in the pid file, if that process is alive and really is our broker (pids get reused).
broker_pid() {
  [[ -s "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka.Kafka $RUN/server.properties" || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# Gone = the process has exited (a zombie counts: nobody may reap it soon) and its listeners are
# closed. The JVM's main thread can show as a zombie while other threads still hold the sockets.
wait_gone() {
  local pid=$1 limit=$2 waited=0
  while kill -0 "$pid" 2>/dev/null && [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != "Z" ]] \
      || port_open "$KAFKA_PORT" || port_open "$KAFKA_CONTROLLER_PORT"; do
    ((waited >= limit * 10)) && return 1
    sleep 0.1
    waited=$((waited + 1))
  done
}

# ---- configuration ----------------------------------------------------------------------------

write_config() {
  mkdir -p "$RUN/data" "$LOG_DIR" "$RUN/tmp"
  # Static quorum (controller.quorum.voters), so format runs without --standalone (KAFKA-18987).
  cat >"$RUN/server.properties" <<EOF
# Written by tools/kafka/kafka.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$RUN/data
num.partitions=3
auto.create.topics.enable=false
# Single node: internal topics with RF 1, or consumer groups and transactions fail.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
min.insync.replicas=1
# No 3 s wait for more members before the first rebalance.
group.initial.rebalance.delay.ms=0
# Tests create many short-lived topics; let deletion work.
delete.topic.enable=true
# After a hard kill the controller still holds the dead incarnation's registration and refuses
# the new one until that session expires (default 9 s). Shorter: a hard bounce takes ~4 s.
broker.heartbeat.interval.ms=500
broker.session.timeout.ms=3000
EOF
  cat >"$RUN/log4j.properties" <<EOF
# Broker log: INFO to logs/server.log (rolled, bounded), WARN and above also to the console
# (broker.out), which the start command shows when the broker fails to come up.
log4j.rootLogger=INFO, file, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.Threshold=WARN
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=\${kafka.logs.dir}/server.log
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.controller=INFO
log4j.logger.state.change.logger=WARN
log4j.logger.org.apache.kafka.raft=WARN
EOF
}

format_once() {
  if [[ -f "$RUN/data/meta.properties" ]]; then return 0; fi
  local cp id
  cp="$(cat "$CP_FILE")"
  id="$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)"
  [[ -n "$id" ]] || die "could not generate a cluster id"
  say "formatting $RUN/data (cluster id $id)"
  java -cp "$cp" -Dlog4j.configuration="file:$RUN/log4j.properties" -Dkafka.logs.dir="$LOG_DIR" \
    kafka.tools.StorageTool format -t "$id" -c "$RUN/server.properties" >"$RUN/format.log" 2>&1 \
    || { cat "$RUN/format.log" >&2; die "format failed"; }
}

# ---- readiness --------------------------------------------------------------------------------

wait_ready() {
  local pid=$1 deadline=$((SECONDS + KAFKA_READY_TIMEOUT))
  until port_open "$KAFKA_PORT"; do
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$RUN/broker.out" >&2; die "broker exited during start-up"; }
    ((SECONDS < deadline)) || { tail -n 40 "$RUN/broker.out" >&2; die "port $KAFKA_PORT not open after ${KAFKA_READY_TIMEOUT}s"; }
    sleep 0.25
  done
  # An open port is not a working broker: ask for the cluster metadata like a client would.
  local remaining=$((deadline - SECONDS))
  ((remaining > 0)) || remaining=1
  if [[ -f "$REPO/node_modules/kafkajs/package.json" ]] && command -v node >/dev/null; then
    node "$HERE/ready.js" --broker "$HOST:$KAFKA_PORT" --timeout "$remaining" --pid "$pid" \
      || { tail -n 40 "$RUN/broker.out" >&2; die "broker did not answer describeCluster"; }
  else
    until grep -q "Kafka Server started" "$LOG_DIR/server.log" 2>/dev/null; do
      kill -0 "$pid" 2>/dev/null || die "broker exited during start-up"
      ((SECONDS < deadline)) || die "no 'Kafka Server started' after ${KAFKA_READY_TIMEOUT}s"
      sleep 0.25
    done
  fi
}

# ---- commands ---------------------------------------------------------------------------------

cmd_start() {
  local pid
  if pid="$(broker_pid)"; then
    say "already running (pid $pid) on $HOST:$KAFKA_PORT"
    wait_ready "$pid"
    return 0
  fi
  if port_open "$KAFKA_PORT"; then
    die "something else listens on $HOST:$KAFKA_PORT (set KAFKA_PORT or stop it)"
  fi
  cmd_install
  write_config
  format_once
  local started=$SECONDS cp
  cp="$(cat "$CP_FILE")"
  : >"$RUN/broker.out"
  # setsid: the broker gets its own session, so it outlives this shell and a Ctrl-C in it.
  # No JMX flags: no JMX port opens (RELIABILITY.md §5.4). Native compression libraries unpack
  # into the run dir because /tmp may be mounted noexec.
  setsid java -Xms256m -Xmx"$KAFKA_HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$RUN/log4j.properties" -Dkafka.logs.dir="$LOG_DIR" \
    -DZstdTempFolder="$RUN/tmp" -Dorg.xerial.snappy.tempdir="$RUN/tmp" -Djava.io.tmpdir="$RUN/tmp" \
    -cp "$cp" kafka.Kafka "$RUN/server.properties" >>"$RUN/broker.out" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PID_FILE"
  say "started Kafka $KAFKA_VERSION (pid $pid), waiting until $HOST:$KAFKA_PORT answers"
  wait_ready "$pid"
  say "ready on $HOST:$KAFKA_PORT after $((SECONDS - started)) s (run dir $RUN)"
}

cmd_stop() {
  local pid
  if ! pid="$(broker_pid)"; then
    rm -f "$PID_FILE"
    say "not running"
    return 0
  fi
  say "stopping pid $pid (SIGTERM, SIGKILL after ${KAFKA_STOP_TIMEOUT}s)"
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" "$KAFKA_STOP_TIMEOUT"; then
    say "still alive after ${KAFKA_STOP_TIMEOUT}s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || die "pid $pid survived SIGKILL"
  fi
  rm -f "$PID_FILE"
  say "stopped"
}

cmd_kill() {
  local pid
  if ! pid="$(broker_pid)"; then
    rm -f "$PID_FILE"
    say "not running"
    return 0
  fi
  say "killing pid $pid (SIGKILL)"
  kill -KILL "$pid" 2>/dev/null || true
  wait_gone "$pid" 10 || die "pid $pid survived SIGKILL"
  rm -f "$PID_FILE"
}

cmd_status() {
  local pid
  if ! pid="$(broker_pid)"; then
    echo "kafka: not running (run dir $RUN)"
    return 3
  fi
  if port_open "$KAFKA_PORT"; then
    echo "kafka: running, pid $pid, $HOST:$KAFKA_PORT, version $KAFKA_VERSION, run dir $RUN"
    return 0
  fi
  echo "kafka: pid $pid alive but $HOST:$KAFKA_PORT closed (starting or stopping)"
  return 1
}

cmd_reset() {
  cmd_stop
  [[ "$RUN" == "$REPO/.kafka/run" || -f "$RUN/server.properties" || ! -e "$RUN" ]] \
    || die "refusing to delete $RUN: it does not look like a Kafka run dir"
  rm -rf "$RUN"
  say "deleted $RUN"
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart) cmd_stop; cmd_start ;;
  kill) cmd_kill ;;
  hard-restart) cmd_kill; cmd_start ;;
  reset) cmd_reset ;;
  *)
    sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p;}' "$0"
    exit 2
    ;;
esac
