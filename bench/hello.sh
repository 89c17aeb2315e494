#!/usr/bin/env bash
# Throughput of GET /hello: the application (every role, dev mode) against a bare vertx-web
# server (bench/BareHello.java), measured with wrk in alternating rounds, on 127.0.0.1 only.
#
#   bench/hello.sh
#
# Settings (environment):
#   ROUNDS=2 DURATION=15s WARMUP=10s THREADS=2 CONNECTIONS=64 THRESHOLD=0.8
#   BARE_INSTANCES=0     http verticles of the bare server; 0 = DEFAULT_EVENT_LOOP_POOL_SIZE, like the app
#   JAVA_OPTS=           JVM options, given to both servers
#   KEEP_TMP=1           keep the temp dir (logs, DATA_DIR) instead of deleting it
#   START_TRIES=240      /hello polls (0.5 s apart) before giving up on a server
#   QUIET_PCT=5 QUIET_TRIES=120   before each measurement, wait (1 s samples, at most QUIET_TRIES)
#                        until other processes use less than QUIET_PCT % of the CPUs
#   SERVER_CPUS= WRK_CPUS=   optional taskset CPU lists, e.g. SERVER_CPUS=1 WRK_CPUS=0 to keep wrk
#                        and the server under test off each other's core (default: no pinning)
# The environment reaches the app: its config keys (HTTP_INSTANCES, ...) and the logback variables
# LOG_LEVEL/LOG_FORMAT, e.g. LOG_LEVEL=WARN bench/hello.sh to measure without the access log.
# HTTP_HOST/PORT, WS_HOST/PORT, EMBEDDED_MONGO_*, DATA_DIR and CLUSTER are set by this script.
#
# Exit status: 0 on PASS, 1 on FAIL, 2 if the benchmark could not run.
set -euo pipefail

ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
THRESHOLD=${THRESHOLD:-0.8}
BARE_INSTANCES=${BARE_INSTANCES:-${HTTP_INSTANCES:-0}}
JAVA_OPTS=${JAVA_OPTS:-}
SERVER_CPUS=${SERVER_CPUS:-}
WRK_CPUS=${WRK_CPUS:-}
QUIET_PCT=${QUIET_PCT:-5}
QUIET_TRIES=${QUIET_TRIES:-120}
START_TRIES=${START_TRIES:-240}
HOST=127.0.0.1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"   # the app reads conf/config.json relative to the working directory
JAR=target/starter.jar

die() { echo "hello.sh: $*" >&2; exit 2; }

# --- (1) jar and wrk --------------------------------------------------------------------------
# Others may build in this tree too: two concurrent builds break each other's shaded jar, so wait
# (bounded) for one already running here instead of starting a second.
maven_running_here() { pgrep -f "maven.multiModuleProjectDirectory=$ROOT( |$)" >/dev/null; }
if [[ ! -f $JAR ]] && maven_running_here; then
  echo "Waiting for the Maven build already running in $ROOT ..."
  for _ in $(seq 300); do maven_running_here || break; sleep 1; done
fi
if [[ ! -f $JAR ]]; then
  echo "Building $JAR ..."
  mvn -B -q package -DskipTests || die "build failed"
fi
if ! command -v wrk >/dev/null; then
  echo "Installing wrk ..."
  if [[ $(id -u) -eq 0 ]]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null || die "cannot install wrk"
fi
command -v curl >/dev/null || die "curl is needed"
SERVER_PIN=()
WRK_PIN=()
if [[ -n $SERVER_CPUS ]]; then SERVER_PIN=(taskset -c "$SERVER_CPUS"); fi
if [[ -n $WRK_CPUS ]]; then WRK_PIN=(taskset -c "$WRK_CPUS"); fi

# --- cleanup: only what this script started ---------------------------------------------------
TMP=$(mktemp -d -t hello-bench.XXXXXX)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    # The app stops gracefully (SHUTDOWN_GRACE_SECONDS + margin); do not wait forever.
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ ${KEEP_TMP:-0} == 1 ]]; then
    echo "Kept $TMP"
  else
    rm -rf "$TMP"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- (2) start both servers on free loopback ports --------------------------------------------
USED_PORTS=" "
PORT=
free_port() { # sets PORT (not echoed: a subshell would forget USED_PORTS)
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 40000))
    [[ $USED_PORTS == *" $port "* ]] && continue
    if ! ss -Htln "sport = :$port" 2>/dev/null | grep -q . \
       && ! (exec 3<>"/dev/tcp/$HOST/$port") 2>/dev/null; then
      USED_PORTS+="$port "
      PORT=$port
      return
    fi
  done
  die "no free port found"
}

wait_ready() { # name pid port log
  local name=$1 pid=$2 port=$3 log=$4
  for _ in $(seq "$START_TRIES"); do
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$log" >&2; die "$name exited during start"; }
    if curl -fsS -o /dev/null --max-time 2 "http://$HOST:$port/hello" 2>/dev/null; then
      return
    fi
    sleep 0.5
  done
  tail -n 30 "$log" >&2
  die "$name did not answer http://$HOST:$port/hello after $START_TRIES tries"
}

# Run from a copy: target/starter.jar may be rebuilt by someone else while we measure, and a
# running JVM whose jar is replaced fails with NoClassDefFoundError.
cp "$JAR" "$TMP/starter.jar"
RUN_JAR=$TMP/starter.jar
if command -v unzip >/dev/null; then
  unzip -qq -l "$RUN_JAR" >/dev/null 2>&1 || die "$JAR is incomplete (being rebuilt?); try again"
fi

free_port; BARE_PORT=$PORT
free_port; APP_PORT=$PORT
free_port; WS_PORT_FREE=$PORT
BARE_LOG=$TMP/bare.log
APP_LOG=$TMP/app.log

# shellcheck disable=SC2086
"${SERVER_PIN[@]}" java $JAVA_OPTS -cp "$RUN_JAR" bench/BareHello.java "$BARE_PORT" "$BARE_INSTANCES" >"$BARE_LOG" 2>&1 &
BARE_PID=$!
PIDS+=("$BARE_PID")

# shellcheck disable=SC2086
HTTP_HOST=$HOST HTTP_PORT=$APP_PORT WS_HOST=$HOST WS_PORT=$WS_PORT_FREE \
  EMBEDDED_MONGO_HOST=$HOST EMBEDDED_MONGO_PORT=0 DATA_DIR="$TMP/data" CLUSTER=false \
  "${SERVER_PIN[@]}" java $JAVA_OPTS -jar "$RUN_JAR" >"$APP_LOG" 2>&1 &
APP_PID=$!
PIDS+=("$APP_PID")

wait_ready bare "$BARE_PID" "$BARE_PORT" "$BARE_LOG"
wait_ready app "$APP_PID" "$APP_PORT" "$APP_LOG"
echo "jar:  $JAR of $(date -r "$JAR" '+%F %T %Z') (run from a copy); git $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "bare: pid $BARE_PID, http://$HOST:$BARE_PORT/hello ($(head -n 1 "$BARE_LOG"))"
echo "app:  pid $APP_PID, http://$HOST:$APP_PORT/hello (log: $APP_LOG, LOG_LEVEL=${LOG_LEVEL:-default})"

# --- (3) warm-up, then alternating rounds -----------------------------------------------------
# The machine may be shared (builds, tests): for each measurement, the CPU time that neither wrk
# nor the two servers used is reported as "other %", a share of all the machine's CPUs.
CLK_TCK=$(getconf CLK_TCK)
machine_ticks() { awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9; exit}' /proc/stat; }
server_ticks() { # utime + stime of both servers
  local pid total=0
  for pid in "$BARE_PID" "$APP_PID"; do
    total=$((total + $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')))
  done
  echo "$total"
}

# other_pct busy0 total0 servers0 busy1 total1 servers1 wrk_secs -> % of all CPUs used by others
other_pct() {
  awk -v busy=$(($4 - $1)) -v total=$(($5 - $2)) -v ours=$(($6 - $3)) -v wrk="$7" -v hz="$CLK_TCK" 'BEGIN {
    other = busy - ours - wrk * hz; if (other < 0) other = 0
    printf "%.1f\n", (total > 0 ? 100 * other / total : 0) }'
}

# Waits, a bounded number of 1 s samples, until other processes leave the CPUs alone.
wait_quiet() {
  local busy0 total0 busy1 total1 servers0 servers1 pct
  for ((try = 1; try <= QUIET_TRIES; try++)); do
    read -r busy0 total0 < <(machine_ticks); servers0=$(server_ticks)
    sleep 1
    read -r busy1 total1 < <(machine_ticks); servers1=$(server_ticks)
    pct=$(other_pct "$busy0" "$total0" "$servers0" "$busy1" "$total1" "$servers1" 0)
    if awk -v p="$pct" -v q="$QUIET_PCT" 'BEGIN {exit !(p < q)}'; then
      ((try == 1)) || echo "  (waited $((try - 1)) s for other processes to quiet down)" >&2
      return
    fi
  done
  echo "  (other processes still use $pct% of the CPUs after $QUIET_TRIES s; measuring anyway)" >&2
}

# run_wrk name pid port duration -> prints "req/s other%"; complains about errors and non-2xx
run_wrk() {
  local name=$1 pid=$2 port=$3 duration=$4 out rps busy0 total0 busy1 total1 servers0 servers1 wrk_secs
  wait_quiet
  read -r busy0 total0 < <(machine_ticks)
  servers0=$(server_ticks)
  local TIMEFORMAT='%3U %3S'
  { time "${WRK_PIN[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" "http://$HOST:$port/hello" \
      >"$TMP/wrk.out" 2>&1; } 2>"$TMP/wrk.time" || true
  read -r busy1 total1 < <(machine_ticks)
  kill -0 "$pid" 2>/dev/null || die "$name (pid $pid) died during the measurement; see its log"
  servers1=$(server_ticks)
  out=$(cat "$TMP/wrk.out")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  [[ -n $rps ]] || { echo "$out" >&2; die "no Requests/sec in wrk output for $name"; }
  if grep -qE 'Socket errors|Non-2xx' <<<"$out"; then
    echo "warning: $name: $(grep -E 'Socket errors|Non-2xx' <<<"$out" | tr -s ' ' | paste -sd ';')" >&2
  fi
  wrk_secs=$(awk '{print $1 + $2}' "$TMP/wrk.time")
  echo "$rps $(other_pct "$busy0" "$total0" "$servers0" "$busy1" "$total1" "$servers1" "$wrk_secs")"
}

echo "wrk -t$THREADS -c$CONNECTIONS, warm-up $WARMUP each, then $ROUNDS rounds of $DURATION alternating bare/app"
if [[ -n $SERVER_CPUS$WRK_CPUS ]]; then
  echo "note: $(nproc) CPU cores; servers pinned to CPUs '${SERVER_CPUS:-any}', wrk to '${WRK_CPUS:-any}'"
else
  echo "note: $(nproc) CPU cores; wrk runs on the same machine and competes with the server for CPU"
fi
echo "      (both servers get the same treatment, so the ratio is meaningful; absolute figures are not)."
result=$(run_wrk bare "$BARE_PID" "$BARE_PORT" "$WARMUP")
result=$(run_wrk app "$APP_PID" "$APP_PORT" "$WARMUP")

BARE_RPS=() APP_RPS=() BARE_OTHER=() APP_OTHER=()
for round in $(seq "$ROUNDS"); do
  result=$(run_wrk bare "$BARE_PID" "$BARE_PORT" "$DURATION")
  BARE_RPS+=("${result% *}") BARE_OTHER+=("${result#* }")
  result=$(run_wrk app "$APP_PID" "$APP_PORT" "$DURATION")
  APP_RPS+=("${result% *}") APP_OTHER+=("${result#* }")
  echo "  round $round: bare ${BARE_RPS[-1]} req/s, app ${APP_RPS[-1]} req/s"
done

# --- (4) table --------------------------------------------------------------------------------
mean() { printf '%s\n' "$@" | awk '{s += $1} END {printf "%.2f", s / NR}'; }
BARE_MEAN=$(mean "${BARE_RPS[@]}")
APP_MEAN=$(mean "${APP_RPS[@]}")
RATIO=$(awk -v a="$APP_MEAN" -v b="$BARE_MEAN" 'BEGIN {printf "%.3f", a / b}')
VERDICT=$(awk -v r="$RATIO" -v t="$THRESHOLD" 'BEGIN {print (r >= t) ? "PASS" : "FAIL"}')
MAX_OTHER=$(printf '%s\n' "${BARE_OTHER[@]}" "${APP_OTHER[@]}" | sort -n | tail -n 1)

echo
printf '%-6s %12s %8s %12s %8s %9s\n' round "bare req/s" "other %" "app req/s" "other %" app/bare
for i in "${!BARE_RPS[@]}"; do
  printf '%-6s %12s %8s %12s %8s %9s\n' "$((i + 1))" "${BARE_RPS[$i]}" "${BARE_OTHER[$i]}" \
    "${APP_RPS[$i]}" "${APP_OTHER[$i]}" \
    "$(awk -v a="${APP_RPS[$i]}" -v b="${BARE_RPS[$i]}" 'BEGIN {printf "%.3f", a / b}')"
done
printf '%-6s %12s %8s %12s %8s %9s\n' mean "$BARE_MEAN" "" "$APP_MEAN" "" "$RATIO"
echo
echo "GET /hello app/bare = $RATIO (target >= $THRESHOLD): $VERDICT"
echo "($(nproc) cores shared by wrk and the server under test; LOG_LEVEL=${LOG_LEVEL:-default};"
echo " other % = CPU used by other processes during the round, as a share of all $(nproc) cores)"
if awk -v m="$MAX_OTHER" -v q="$QUIET_PCT" 'BEGIN {exit !(m >= q)}'; then
  echo "warning: other processes used up to $MAX_OTHER% of the CPUs during a round: the figures are" \
    "unreliable; rerun on a quiet machine" >&2
fi

[[ $VERDICT == PASS ]]
