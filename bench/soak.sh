#!/usr/bin/env bash
# Soak: mixed traffic for a long while (bench/Soak.java: ordinary requests, logins right and wrong,
# registrations, websocket echo and chat, and the raw requests of the hostile corpus, 16 at a time;
# about every 30 s a burst of 60 registrations, 30 of them of one login, and about every 2 minutes
# a 64 MB ping flood from a client that reads nothing, on echo or chat)
# against the fat jar in dev mode, on 127.0.0.1. Prints the error count (goal: 0) and the heap in use
# after a full GC at the start and at the end (goal: no growth).
#
#   bench/soak.sh                 # DURATION=600 seconds
#   DURATION=60 bench/soak.sh
#
# Exit status: 0 with no error and the heap grown by at most GROWTH_LIMIT_MB (default 32),
# 1 otherwise, 2 if the soak could not run.
set -euo pipefail

DURATION=${DURATION:-600}
GROWTH_LIMIT_MB=${GROWTH_LIMIT_MB:-32}
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

heap_app_with_test_classes

# A first minute of the same traffic warms the JIT and fills the caches, so that start and end
# compare a running service with itself.
echo "warming up for 60 s ..."
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$RUN_JAR:$TMP/test-classes" bench/Soak.java "$HTTP" "$WS" 60 >"$TMP/warmup.log" 2>&1 || true
BEFORE=$(heap_after_gc)
echo "heap in use after a full GC, start: $BEFORE MB"

echo "soaking for $DURATION s ..."
set +e
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$RUN_JAR:$TMP/test-classes" bench/Soak.java "$HTTP" "$WS" "$DURATION" | tee "$TMP/soak.log"
SOAK=${PIPESTATUS[0]}
set -e
kill -0 "$APP_PID" 2>/dev/null || die "the service died during the soak; see $TMP/app.log"
AFTER=$(heap_after_gc)
echo "heap in use after a full GC, end:   $AFTER MB (grew $((AFTER - BEFORE)) MB; limit $GROWTH_LIMIT_MB MB)"
echo "ERROR lines in the service's log: $(grep -c ' ERROR ' "$TMP/app.log" || true)"
echo "largest classes on the heap at the end:"
jcmd "$APP_PID" GC.class_histogram | sed -n '4,13p'
machine_line

if [[ $SOAK == 0 && $((AFTER - BEFORE)) -le $GROWTH_LIMIT_MB ]]; then
  echo "PASS"
else
  echo "FAIL"
  exit 1
fi
