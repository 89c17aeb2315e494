#!/usr/bin/env bash
# Event-bus request/reply between two clustered processes on loopback (bench/BusPingPong.java:
# Vert.x with Hazelcast as the application clusters it, a bench-only address), IN_FLIGHT requests
# outstanding at a time.
#
#   bench/bus.sh
#
# Settings (environment), besides those of bench/lib.sh: ROUNDS=3 DURATION=10s IN_FLIGHT=64
# Target: >= 10,000 replies/s.
# Exit status: 0 when the target holds, 1 when it does not, 2 if the benchmark could not run.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
IN_FLIGHT=${IN_FLIGHT:-64}
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

compile_bench bench/BusPingPong.java
free_port; ANSWER_PORT=$PORT
free_port; REQUEST_PORT=$PORT
MEMBERS="127.0.0.1:$ANSWER_PORT,127.0.0.1:$REQUEST_PORT"
start_process "$TMP/answer.log" java $JAVA_OPTS -cp "$BENCH_CP" BusPingPong answer "$ANSWER_PORT" "$MEMBERS"
ANSWER_PID=$STARTED
for _ in $(seq "$START_TRIES"); do grep -q '^ready' "$TMP/answer.log" && break; sleep 0.5; done
grep -q '^ready' "$TMP/answer.log" || { tail -n 20 "$TMP/answer.log" >&2; die "the answering process did not start"; }

machine_line
echo "$IN_FLIGHT requests in flight, $ROUNDS rounds of $DURATION (each in a requesting process of its own)"
for round in $(seq 0 "$ROUNDS"); do
  sample_begin "$ANSWER_PID"
  TIMEFORMAT='%3U %3S'
  { time java $JAVA_OPTS -cp "$BENCH_CP" BusPingPong request "$REQUEST_PORT" "$MEMBERS" "$IN_FLIGHT" "${DURATION%s}" \
      >"$TMP/request.out" 2>"$TMP/request.err"; } 2>"$TMP/request.time" || { cat "$TMP/request.err" >&2; die "the requests failed"; }
  read -r rate p99 < <(tail -n 1 "$TMP/request.out")
  sampled=$(sample_end "$ANSWER_PID" "$(timed_ticks "$TMP/request.time")" "$(awk -v r="$rate" -v d="${DURATION%s}" 'BEGIN {printf "%d", r * d}')")
  ((round > 0)) || continue   # the answering process warms up
  record bus request-reply bench.ping "$round" "$rate $p99 $sampled"
  printf '  round %d  %10s replies/s  p99 %8s ms\n' "$round" "$rate" "$p99"
done

mean_rate=$(awk '{s += $5; n++} END {printf "%.1f", s / n}' "$RESULTS")
echo
if at_least "$mean_rate" 10000; then echo "PASS  bus: request/reply between two processes = $mean_rate/s (target >= 10000)"; exit 0
else echo "FAIL  bus: request/reply between two processes = $mean_rate/s (target >= 10000)"; exit 1; fi
