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
THRESHOLD=${THRESHOLD:-0.8}
BARE_INSTANCES=${BARE_INSTANCES:-${HTTP_INSTANCES:-0}}
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# --- start both servers on free loopback ports ------------------------------------------------
free_port; BARE_PORT=$PORT
free_port; APP_PORT=$PORT
free_port; WS_PORT_FREE=$PORT
BARE_LOG=$TMP/bare.log
APP_LOG=$TMP/app.log

# shellcheck disable=SC2086
compile_bench bench/BareHello.java
start_process "$BARE_LOG" java $JAVA_OPTS -cp "$BENCH_CP" BareHello "$BARE_PORT" "$BARE_INSTANCES"
BARE_PID=$STARTED
start_app "$APP_LOG" "$RUN_JAR" HTTP_PORT="$APP_PORT" WS_PORT="$WS_PORT_FREE"
APP_PID=$STARTED

wait_ready bare "$BARE_PID" "http://$HOST:$BARE_PORT/hello" "$BARE_LOG"
wait_ready app "$APP_PID" "http://$HOST:$APP_PORT/hello" "$APP_LOG"
echo "jar:  $JAR built $(date -r "$JAR" '+%F %T %Z') (run from a copy); tree at git $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "bare: pid $BARE_PID, http://$HOST:$BARE_PORT/hello ($(head -n 1 "$BARE_LOG"))"
echo "app:  pid $APP_PID, http://$HOST:$APP_PORT/hello (log: $APP_LOG, ACCESS_LOG=${ACCESS_LOG:-default}," \
  "LOG_LEVEL=${LOG_LEVEL:-default})"
machine_line

# --- warm-up, then alternating rounds ---------------------------------------------------------
echo "wrk -t$THREADS -c$CONNECTIONS, warm-up $WARMUP each, then $ROUNDS rounds of $DURATION alternating bare/app"
if [[ -n $SERVER_CPUS$WRK_CPUS ]]; then
  echo "note: $(nproc) CPU cores; servers pinned to CPUs '${SERVER_CPUS:-any}', wrk to '${WRK_CPUS:-any}'"
else
  echo "note: $(nproc) CPU cores; wrk runs on the same machine and competes with the server for CPU"
fi
echo "      (both servers get the same treatment, so the ratio is meaningful; absolute figures are not)."
result=$(measure bare "$BARE_PID" "$WARMUP" "http://$HOST:$BARE_PORT/hello")
result=$(measure app "$APP_PID" "$WARMUP" "http://$HOST:$APP_PORT/hello")

BARE_RPS=() APP_RPS=() BARE_OTHER=() APP_OTHER=() BARE_US=() APP_US=()
for round in $(seq "$ROUNDS"); do
  result=$(measure bare "$BARE_PID" "$DURATION" "http://$HOST:$BARE_PORT/hello")
  read -r rps _ other us <<<"$result"
  BARE_RPS+=("$rps") BARE_OTHER+=("$other") BARE_US+=("$us")
  result=$(measure app "$APP_PID" "$DURATION" "http://$HOST:$APP_PORT/hello")
  read -r rps _ other us <<<"$result"
  APP_RPS+=("$rps") APP_OTHER+=("$other") APP_US+=("$us")
  echo "  round $round: bare ${BARE_RPS[-1]} req/s, app ${APP_RPS[-1]} req/s"
done

# --- table --------------------------------------------------------------------------------
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
