#!/usr/bin/env bash
# Websockets: /ws/echo round trips with ECHO_SOCKETS sockets, and chat fan-out (RATE messages a
# second into a room of N listening sockets, N in FANOUT_SIZES), in dev mode as it ships (a ws
# verticle per event loop) and with one ws verticle (WS_INSTANCES=1, "app-1loop"), against a bare
# Vert.x websocket server doing the same with nothing else on the path (bench/BareWs.java), and
# for the echo the origin talk's aiohttp app. Load from
# bench/WsLoad.java (Vert.x's websocket client, HdrHistogram, fan-out latency from each message's
# due time), alternating subjects within each round, 127.0.0.1 only.
#
#   bench/ws.sh
#
# Settings (environment), besides those of bench/lib.sh:
#   ROUNDS=3 DURATION=10s WARMUP=10s ECHO_SOCKETS=100 FANOUT_SIZES="1000 5000" RATE=10
#   IDLE_SOCKETS=15000   idle logged-in chat sockets held by one ws process, for its heap per socket
# Targets: echo round trips >= 0.9 of bare; fan-out p99 <= 1.5x bare's in the same round (and
# < 50 ms at 1,000 listeners), with no loss; IDLE_SOCKETS idle chat sockets held, with less than
# 10 KiB of heap (after GC) each.
# Exit status: 0 when every target holds, 1 when one does not, 2 if the benchmark could not run.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
ECHO_SOCKETS=${ECHO_SOCKETS:-100}
FANOUT_SIZES=${FANOUT_SIZES:-1000 5000}
RATE=${RATE:-10}
IDLE_SOCKETS=${IDLE_SOCKETS:-15000}
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Every listener is a connection on each side: the default descriptor limit is too small.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

largest=$IDLE_SOCKETS
for size in $FANOUT_SIZES; do ((size > largest)) && largest=$size; done

# ws_app name [VAR=value...] -> sets WS_PORT_OF[name], PID_OF[name], COOKIES_OF[name], ORIGIN_OF[name]:
# the app in dev mode, and one session per 1,000 listeners (and one for the sender), as the demo
# page logs in. A session may hold up to 1,000 chat sockets (WS_SOCKETS_PER_SESSION's most); the
# sender sends RATE a second, well within CHAT_MESSAGES_PER_SECOND.
declare -A WS_PORT_OF PID_OF COOKIES_OF ORIGIN_OF
ws_app() {
  local name=$1 http ws i cookies=()
  shift
  free_port; http=$PORT
  free_port; ws=$PORT
  start_app "$TMP/$name.log" "$RUN_JAR" HTTP_PORT="$http" WS_PORT="$ws" \
    WS_SOCKETS_PER_SESSION=1000 CHAT_MESSAGES_PER_SECOND=$((RATE * 10)) "$@"
  PID_OF[$name]=$STARTED
  wait_ready "$name" "$STARTED" "http://$HOST:$http/health/ready" "$TMP/$name.log"
  for i in $(seq 0 $((largest / 1000))); do
    cookies+=("$(login_cookie "http://$HOST:$http" starter.sid "bench$i")")
  done
  WS_PORT_OF[$name]=$ws
  COOKIES_OF[$name]=${cookies[*]}
  ORIGIN_OF[$name]="http://$HOST:$http"
}
# The app as it ships (a ws verticle per event loop) and with one ws verticle (one loop), the trade
# the fan-out figures show.
ws_app app
ws_app app-1loop WS_INSTANCES=1
free_port; WS_PORT_OF[bare]=$PORT
compile_bench bench/BareWs.java bench/WsLoad.java
start_process "$TMP/bare.log" java $JAVA_OPTS -cp "$BENCH_CP" BareWs "$PORT"
PID_OF[bare]=$STARTED COOKIES_OF[bare]="" ORIGIN_OF[bare]=http://$HOST
for _ in $(seq "$START_TRIES"); do grep -q "listening" "$TMP/bare.log" && break; sleep 0.5; done
grep -q "listening" "$TMP/bare.log" || die "BareWs did not start; see $TMP/bare.log"
SUBJECTS="bare app app-1loop"
# The origin talk's aiohttp app, for the echo only (it has no chat).
free_port; WS_PORT_OF[aiohttp]=$PORT
start_process "$TMP/aiohttp.log" /usr/bin/python3 bench/aiohttp_app.py "$PORT"
PID_OF[aiohttp]=$STARTED
wait_ready aiohttp "$STARTED" "http://$HOST:$PORT/hello" "$TMP/aiohttp.log"

echo "jar: $JAR built $(date -r "$JAR" '+%F %T %Z') (run from a copy); tree at git $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
for subject in $SUBJECTS; do echo "$subject: pid ${PID_OF[$subject]}, ws port ${WS_PORT_OF[$subject]}"; done
machine_line
echo "echo: $ECHO_SOCKETS sockets; fan-out: $RATE msg/s into rooms of $FANOUT_SIZES; warm-up $WARMUP, then $ROUNDS rounds of $DURATION"

seconds() { echo "${1%s}"; }
for round in $(seq 0 "$ROUNDS"); do
  length=$(seconds "$( ((round == 0)) && echo "$WARMUP" || echo "$DURATION")")
  for subject in $SUBJECTS aiohttp; do
    pid=${PID_OF[$subject]} port=${WS_PORT_OF[$subject]}
    result=$(ws_load "$subject echo" "$pid" "$port" echo "$ECHO_SOCKETS" "$length")
    read -r rate p99 loss other us <<<"$result"
    if ((round > 0)); then
      record echo "$subject" ws/echo "$round" "$rate $p99 $other $us"
      printf '  round %d  echo     %-9s %10s round trips/s  p99 %8s ms\n' "$round" "$subject" "$rate" "$p99"
    fi
    [[ $subject != aiohttp ]] || continue
    for size in $FANOUT_SIZES; do
      # shellcheck disable=SC2086
      result=$(ws_load "$subject fanout $size" "$pid" "$port" fanout "$size" "$length" "$RATE" "${ORIGIN_OF[$subject]}" ${COOKIES_OF[$subject]})
      read -r rate p99 loss other us <<<"$result"
      ((round > 0)) || continue
      record "fanout-$size" "$subject" ws/chat "$round" "$rate $p99 $other $us"
      echo "fanout-$size $subject $round $loss" >>"$TMP/loss"
      printf '  round %d  fan-out %-9s into %5d: %10s deliveries/s  p99 %8s ms  loss %s %%\n' "$round" "$subject" "$size" "$rate" "$p99" "$loss"
    done
  done
done

# --- idle sockets: the heap they take, after a full GC, against the same process without them --
heap_used() { # pid -> bytes of heap in use after a full GC
  jcmd "$1" GC.run >/dev/null || die "jcmd cannot reach pid $1"
  jcmd "$1" GC.heap_info | awk '/ used / {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub(/K,?$/, "", v); print v * 1024; exit}}'
}
idle_pid=${PID_OF[app]}
before=$(heap_used "$idle_pid")
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$BENCH_CP" WsLoad hold "${WS_PORT_OF[app]}" "$IDLE_SOCKETS" 3600 "${ORIGIN_OF[app]}" \
  ${COOKIES_OF[app]} >"$TMP/hold.out" 2>"$TMP/hold.err" &
HOLD_PID=$!
PIDS+=("$HOLD_PID")
for _ in $(seq 600); do
  grep -q '^held' "$TMP/hold.out" && break
  kill -0 "$HOLD_PID" 2>/dev/null || { cat "$TMP/hold.err" >&2; die "the idle sockets could not be opened"; }
  sleep 0.5
done
grep -q '^held' "$TMP/hold.out" || die "the idle sockets were not all open after 5 minutes"
after=$(heap_used "$idle_pid")
kill -TERM "$HOLD_PID" 2>/dev/null || true
per_socket=$(awk -v a="$after" -v b="$before" -v n="$IDLE_SOCKETS" 'BEGIN {printf "%.0f", (a - b) / n}')
# The socket count goes in the rate column, the bytes per socket in the latency one.
record idle app ws/chat 1 "$IDLE_SOCKETS $per_socket 0 0"
echo "  idle: $IDLE_SOCKETS chat sockets held by one ws process; heap after GC $before -> $after bytes, $per_socket bytes a socket"

# --- table and targets ------------------------------------------------------------------------
figure() { # scenario subject column(rps|p99|p99max) -> mean over rounds (max for p99max)
  awk -v s="$1" -v w="$2" -v c="$3" '
    $1 == s && $2 == w { v = (c == "rps") ? $5 : $6; n++; sum += v; if (v > max) max = v }
    END { if (n == 0) print "-"; else if (c == "p99max") printf "%.2f", max; else printf "%.2f", sum / n }' "$RESULTS"
}
echo
printf '%-13s %-9s %14s %10s %10s\n' scenario subject "rate mean" "p99 mean" "p99 max"
sort -k1,1 -k2,2 -u "$RESULTS" | while read -r s w _; do
  printf '%-13s %-9s %14s %10s %10s\n' "$s" "$w" "$(figure "$s" "$w" rps)" "$(figure "$s" "$w" p99)" "$(figure "$s" "$w" p99max)"
done
echo "(rate: round trips/s for echo, deliveries/s for fan-out; p99 in ms)"
echo

VERDICT=0
verdict() { # PASS|FAIL text
  echo "$1  $2"
  [[ $1 == PASS ]] || VERDICT=1
}
ratio=$(div "$(figure echo app rps)" "$(figure echo bare rps)")
verdict "$(at_least "$ratio" 0.9 && echo PASS || echo FAIL)" "ws: echo round trips / bare = $ratio (target >= 0.9)"
echo "ws: echo round trips / aiohttp's = $(div "$(figure echo app rps)" "$(figure echo aiohttp rps)") (reported)"
for size in $FANOUT_SIZES; do
  ratio=$(div "$(figure "fanout-$size" app p99)" "$(figure "fanout-$size" bare p99)")
  verdict "$(awk -v r="$ratio" 'BEGIN {exit !(r <= 1.5)}' && echo PASS || echo FAIL)" \
    "ws: fan-out into $size, p99 / bare's = $ratio (target <= 1.5)"
  lost=$(awk -v s="fanout-$size" '$1 == s && $2 == "app" && $4 > m {m = $4} END {print m + 0}' "$TMP/loss")
  verdict "$(awk -v l="$lost" 'BEGIN {exit !(l == 0)}' && echo PASS || echo FAIL)" \
    "ws: fan-out into $size, most deliveries lost in a round = $lost % (target 0)"
  if ((size == 1000)); then
    p99=$(figure "fanout-$size" app p99max)
    verdict "$(awk -v p="$p99" 'BEGIN {exit !(p < 50)}' && echo PASS || echo FAIL)" \
      "ws: fan-out into 1000, p99 worst round = $p99 ms (target < 50)"
  fi
done
per_socket=$(awk '$1 == "idle" {print $6}' "$RESULTS")
verdict "$(awk -v b="$per_socket" 'BEGIN {exit !(b < 10240)}' && echo PASS || echo FAIL)" \
  "ws: $IDLE_SOCKETS idle chat sockets held, $per_socket bytes of heap each (target < 10240)"
exit $VERDICT
