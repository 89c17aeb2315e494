#!/usr/bin/env bash
# Ping flood: a client that sends FLOOD_MB of websocket pings and reads nothing (bench/Flood.java,
# with the tests' RawWebSocket: `mvn test-compile` first),
# against /ws/echo and then a logged-in /ws/chat of the fat jar in dev mode, on 127.0.0.1. Prints,
# for each, what the server took before it stopped reading, how the flood ended, and the heap in use
# after a full GC while the flooding socket is held against before the flood.
#
#   bench/flood.sh                  # FLOOD_MB=400
#
# Target: the heap grows by less than 16 MB under each flood, and the flooding client is stopped
# (the server no longer reads it) or dropped. Not in bench/run: its figures are no rates.
# Exit status: 0 when the target holds for both, 1 when it does not, 2 if the benchmark could not run.
set -euo pipefail

FLOOD_MB=${FLOOD_MB:-400}
GROWTH_LIMIT_MB=16
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

heap_app_with_test_classes
COOKIE=$(login_cookie "http://$HOST:$HTTP" starter.sid flood)

STATUS=0
for path in /ws/echo "/ws/chat?room=flood"; do
  name=${path%%\?*}; name=${name##*/}
  log=$TMP/flood-$name.log
  before=$(heap_after_gc)
  # shellcheck disable=SC2086
  java $JAVA_OPTS -cp "$TMP/test-classes" bench/Flood.java "$WS" "$path" "$FLOOD_MB" "$COOKIE" "http://$HOST:$HTTP" >"$log" 2>&1 &
  flood=$!
  PIDS+=("$flood")
  # Until the server stops reading it, or the flood has ended (all sent, or dropped).
  for _ in $(seq 240); do
    grep -q '^stalled\|MB of pings sent' "$log" && break
    kill -0 "$flood" 2>/dev/null || break
    sleep 0.25
  done
  during=$(heap_after_gc)
  wait "$flood" || die "the $name flood failed: $(cat "$log")"
  cat "$log"
  growth=$((during - before))
  echo "$name: heap in use after a full GC $before MB before the flood, $during MB while its socket was held (+$growth MB)"
  if ((growth < GROWTH_LIMIT_MB)) && grep -q 'stalled\|dropped' "$log"; then
    echo "PASS  flood: $name, heap growth under a $FLOOD_MB MB ping flood = $growth MB (target < $GROWTH_LIMIT_MB), client stopped"
  else
    echo "FAIL  flood: $name, heap growth under a $FLOOD_MB MB ping flood = $growth MB (target < $GROWTH_LIMIT_MB), client stopped: $(grep -c 'stalled\|dropped' "$log")"
    STATUS=1
  fi
done
exit $STATUS
