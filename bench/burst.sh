#!/usr/bin/env bash
# Registration bursts against the fat jar in dev mode, on 127.0.0.1 (bench/Burst.java): 30 at once
# of one login, then 200 at once of distinct logins while 8 loops ask /hello, each against its
# baseline in the same run (the hashing threads' speed during the burst; /hello with nothing else
# going on).
#
#   bench/burst.sh
#
# Targets: the 30 answer 1×201 + 29×409; of the 200, at least 70 % of what the hashing threads
# could hash within BUS_TIMEOUT_MS is served, every refusal is a 503 with Retry-After in under
# 100 ms, every 201 exists and every 503 does not; /hello's p99 during the 200 is at most 3× idle.
# Not in bench/run: its figures are no rates.
# Exit status: 0 when every target is met, 1 when one is not, 2 if the benchmark could not run.
set -euo pipefail

BUS_TIMEOUT_MS=${BUS_TIMEOUT_MS:-3000}
# The service's default, 0, is one per core.
HASHING_THREADS=${HASHING_THREADS:-0}
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

free_port; HTTP=$PORT
free_port; WS=$PORT
start_app "$TMP/app.log" "$RUN_JAR" HTTP_PORT="$HTTP" WS_PORT="$WS" BUS_TIMEOUT_MS="$BUS_TIMEOUT_MS" \
  HASHING_THREADS="$HASHING_THREADS"
wait_ready app "$STARTED" "http://$HOST:$HTTP/health/ready" "$TMP/app.log"
threads=$HASHING_THREADS
if ((threads == 0)); then threads=$(nproc); fi
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$RUN_JAR" bench/Burst.java "$HTTP" "$threads" "$BUS_TIMEOUT_MS"
