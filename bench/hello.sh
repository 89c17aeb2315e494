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
# The environment reaches the app: its config keys (ACCESS_LOG, HTTP_INSTANCES, ...) and the logback
# variables LOG_LEVEL/LOG_FORMAT, e.g. ACCESS_LOG=all bench/hello.sh to measure with a line per request.
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
echo "jar:  $JAR built $(date -r "$JAR" '+%F %T %Z') (run from a copy); tree at git $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "bare: pid $BARE_PID, http://$HOST:$BARE_PORT/hello ($(head -n 1 "$BARE_LOG"))"
echo "app:  pid $APP_PID, http://$HOST:$APP_PORT/hello (log: $APP_LOG, ACCESS_LOG=${ACCESS_LOG:-default}," \
  "LOG_LEVEL=${LOG_LEVEL:-default})"

# --- (3) warm-up, then alternating rounds -----------------------------------------------------
# The machine may be shared (builds, tests): for each measurement, the CPU time that neither wrk
# nor the two servers used is reported as "other %", a share of all the machine's CPUs. The CPU
# time the server under test spent per request (us/req) is reported too: it is much less
# sensitive to such neighbours than req/s, so it cross-checks the throughput ratio.
CLK_TCK=$(getconf CLK_TCK)
# The samplers read /proc with builtins only and return through globals: forking sed/awk every
# second would itself show up as "other" CPU on a small machine.
BUSY=0 TOTAL=0 TICKS=0
machine_ticks() { # BUSY, TOTAL: jiffies of all CPUs since boot
  local cpu user nice system idle iowait irq softirq steal rest
  read -r cpu user nice system idle iowait irq softirq steal rest </proc/stat
  BUSY=$((user + nice + system + irq + softirq + steal))
  TOTAL=$((BUSY + idle + iowait))
}
pid_ticks() { # TICKS: utime + stime of process $1
  local stat
  read -r stat <"/proc/$1/stat"
  stat=${stat##*) }
  # shellcheck disable=SC2086
  set -- $stat
  TICKS=$((${12} + ${13}))
}
server_ticks() { # TICKS: both servers
  local sum
  pid_ticks "$BARE_PID"; sum=$TICKS
  pid_ticks "$APP_PID"; TICKS=$((sum + TICKS))
}

# other_pct busy total ours wrk_ticks (deltas) -> % of all CPUs used by others, one decimal
other_pct() {
  local other=$(($1 - $3 - $4)) permille
  ((other > 0)) || other=0
  permille=$((($2 > 0) ? 1000 * other / $2 : 0))
  echo "$((permille / 10)).$((permille % 10))"
}

# Waits, a bounded number of 1 s samples, until other processes leave the CPUs alone.
wait_quiet() {
  local busy0 total0 servers0 other try
  for ((try = 1; try <= QUIET_TRIES; try++)); do
    machine_ticks; busy0=$BUSY total0=$TOTAL
    server_ticks; servers0=$TICKS
    sleep 1
    machine_ticks; server_ticks
    other=$((BUSY - busy0 - (TICKS - servers0)))
    if ((100 * other < QUIET_PCT * (TOTAL - total0))); then
      ((try == 1)) || echo "  (waited $((try - 1)) s for other processes to quiet down)" >&2
      return
    fi
  done
  echo "  (other processes still use $(other_pct $((BUSY - busy0)) $((TOTAL - total0)) $((TICKS - servers0)) 0)%" \
    "of the CPUs after $QUIET_TRIES s; measuring anyway)" >&2
}

# run_wrk name pid port duration -> prints "req/s other% us/req"; complains about errors, non-2xx
run_wrk() {
  local name=$1 pid=$2 port=$3 duration=$4 out rps requests busy0 total0 servers0 own0 own1 wrk_ticks
  wait_quiet
  machine_ticks; busy0=$BUSY total0=$TOTAL
  server_ticks; servers0=$TICKS
  pid_ticks "$pid"; own0=$TICKS
  local TIMEFORMAT='%3U %3S'
  { time "${WRK_PIN[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" "http://$HOST:$port/hello" \
      >"$TMP/wrk.out" 2>&1; } 2>"$TMP/wrk.time" || true
  machine_ticks
  kill -0 "$pid" 2>/dev/null || die "$name (pid $pid) died during the measurement; see its log"
  pid_ticks "$pid"; own1=$TICKS
  server_ticks
  out=$(<"$TMP/wrk.out")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  requests=$(awk '/ requests in / {print $1}' <<<"$out")
  [[ -n $rps && -n $requests ]] || { echo "$out" >&2; die "no figures in wrk output for $name"; }
  if grep -qE 'Socket errors|Non-2xx' <<<"$out"; then
    echo "warning: $name: $(grep -E 'Socket errors|Non-2xx' <<<"$out" | tr -s ' ' | paste -sd ';')" >&2
  fi
  wrk_ticks=$(awk -v hz="$CLK_TCK" '{printf "%d", ($1 + $2) * hz}' "$TMP/wrk.time")
  echo "$rps $(other_pct $((BUSY - busy0)) $((TOTAL - total0)) $((TICKS - servers0)) "$wrk_ticks")" \
    "$(awk -v t=$((own1 - own0)) -v n="$requests" -v hz="$CLK_TCK" 'BEGIN {printf "%.1f", (n > 0 ? t / hz * 1e6 / n : 0)}')"
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

BARE_RPS=() APP_RPS=() BARE_OTHER=() APP_OTHER=() BARE_US=() APP_US=()
for round in $(seq "$ROUNDS"); do
  result=$(run_wrk bare "$BARE_PID" "$BARE_PORT" "$DURATION")
  read -r rps other us <<<"$result"
  BARE_RPS+=("$rps") BARE_OTHER+=("$other") BARE_US+=("$us")
  result=$(run_wrk app "$APP_PID" "$APP_PORT" "$DURATION")
  read -r rps other us <<<"$result"
  APP_RPS+=("$rps") APP_OTHER+=("$other") APP_US+=("$us")
  echo "  round $round: bare ${BARE_RPS[-1]} req/s, app ${APP_RPS[-1]} req/s"
done

# --- (4) table --------------------------------------------------------------------------------
mean() { printf '%s\n' "$@" | awk '{s += $1} END {printf "%.2f", s / NR}'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}'; }
BARE_MEAN=$(mean "${BARE_RPS[@]}")
APP_MEAN=$(mean "${APP_RPS[@]}")
RATIO=$(div "$APP_MEAN" "$BARE_MEAN")
BARE_US_MEAN=$(mean "${BARE_US[@]}")
APP_US_MEAN=$(mean "${APP_US[@]}")
CPU_RATIO=$(div "$BARE_US_MEAN" "$APP_US_MEAN")
VERDICT=$(awk -v r="$RATIO" -v t="$THRESHOLD" 'BEGIN {print (r >= t) ? "PASS" : "FAIL"}')
MAX_OTHER=$(printf '%s\n' "${BARE_OTHER[@]}" "${APP_OTHER[@]}" | sort -n | tail -n 1)

row() { printf '%-6s %11s %7s %7s %11s %7s %7s %9s\n' "$@"; }
echo
row round "bare req/s" "us/req" "other%" "app req/s" "us/req" "other%" "app/bare"
for i in "${!BARE_RPS[@]}"; do
  row "$((i + 1))" "${BARE_RPS[$i]}" "${BARE_US[$i]}" "${BARE_OTHER[$i]}" \
    "${APP_RPS[$i]}" "${APP_US[$i]}" "${APP_OTHER[$i]}" "$(div "${APP_RPS[$i]}" "${BARE_RPS[$i]}")"
done
row mean "$BARE_MEAN" "$BARE_US_MEAN" "" "$APP_MEAN" "$APP_US_MEAN" "" "$RATIO"
echo
echo "GET /hello throughput app/bare = $RATIO (target >= $THRESHOLD): $VERDICT"
echo "cross-check, server CPU per request bare/app = $CPU_RATIO"
echo "($(nproc) cores shared by wrk and the server under test; ACCESS_LOG=${ACCESS_LOG:-default}," \
  "LOG_LEVEL=${LOG_LEVEL:-default};"
echo " us/req = CPU time of the server under test per request;"
echo " other% = CPU used by other processes during the round, as a share of all $(nproc) cores)"
if awk -v m="$MAX_OTHER" -v q="$QUIET_PCT" 'BEGIN {exit !(m >= q)}'; then
  echo "warning: other processes used up to $MAX_OTHER% of the CPUs during a round: req/s figures" \
    "are unreliable; rerun on a quiet machine" >&2
fi

[[ $VERDICT == PASS ]]
