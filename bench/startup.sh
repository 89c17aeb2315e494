#!/usr/bin/env bash
# Start time: from `java` to the first 200 on GET /hello, for the fat jar in dev mode (every role,
# the embedded database), the same with an application class-data-sharing archive (AppCDS, made by
# a training run of the same jar), and the bare vertx-web server (bench/BareHello.java, compiled
# first so that its figure is not the source launcher's compile). Alternating within each round.
#
#   bench/startup.sh
#
# Settings (environment), besides those of bench/lib.sh: ROUNDS=5
# Target: the app's start < 2 s and <= 2x the bare server's (mean over rounds).
# Exit status: 0 when every target holds, 1 when one does not, 2 if the benchmark could not run.
set -euo pipefail

ROUNDS=${ROUNDS:-5}
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

compile_bench bench/BareHello.java

# The AppCDS archive, made as the Dockerfile makes the image's: a training run that starts,
# answers /hello, and stops (the JVM writes the classes it loaded at exit).
docker/train-cds "$RUN_JAR" "$TMP/app.jsa" >/dev/null || die "the training run wrote no class-data archive"

machine_line
echo "$ROUNDS rounds, each: bare, app, app with AppCDS"
for round in $(seq "$ROUNDS"); do
  free_port
  bare=$(start_ms bare "http://$HOST:$PORT/hello" java $JAVA_OPTS -cp "$BENCH_CP" BareHello "$PORT")
  free_port
  # shellcheck disable=SC2046
  app=$(start_ms app "http://$HOST:$PORT/hello" env $(app_env "$PORT") java $JAVA_OPTS -jar "$RUN_JAR")
  free_port
  # shellcheck disable=SC2046
  cds=$(start_ms app-cds "http://$HOST:$PORT/hello" env $(app_env "$PORT") java $JAVA_OPTS \
    -XX:SharedArchiveFile="$TMP/app.jsa" -jar "$RUN_JAR")
  # The start time goes in the latency column; there is no rate.
  record start bare hello "$round" "0 $bare 0 0"
  record start app hello "$round" "0 $app 0 0"
  record start app-cds hello "$round" "0 $cds 0 0"
  printf '  round %d  bare %5d ms  app %5d ms  app with AppCDS %5d ms\n' "$round" "$bare" "$app" "$cds"
done

ms() { awk -v w="$1" '$2 == w {s += $6; n++} END {printf "%.0f", s / n}' "$RESULTS"; }
echo
echo "mean ms to the first /hello: bare $(ms bare), app $(ms app), app with AppCDS $(ms app-cds)"
VERDICT=0
best=$(ms app); (( $(ms app-cds) < best )) && best=$(ms app-cds)
if ((best < 2000)); then echo "PASS  start: app to first /hello = $best ms (target < 2000)"
else echo "FAIL  start: app to first /hello = $best ms (target < 2000)"; VERDICT=1; fi
ratio=$(div "$best" "$(ms bare)")
if awk -v r="$ratio" 'BEGIN {exit !(r <= 2)}'; then echo "PASS  start: app / bare = $ratio (target <= 2)"
else echo "FAIL  start: app / bare = $ratio (target <= 2)"; VERDICT=1; fi
exit $VERDICT
