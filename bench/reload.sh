#!/usr/bin/env bash
# The dev loop (dev/DevMode) on a copy of the sources: from saving a one-line change to GET /hello's
# handler to the first answer of the new code, over EDITS saves, asking every 10 ms throughout (a
# failed or unexpected answer counts: a reload must refuse nothing). Baseline in the same run, the
# other way to bring up new code: a new JVM of the jar with its AppCDS archive, from `java` to the
# first /hello (as bench/startup.sh measures it), to which that way adds the same compile.
#
#   bench/reload.sh
#
# Settings (environment), besides those of bench/lib.sh: EDITS=10 RESTARTS=3
# Target: median and worst save-to-answer <= 2000 ms; no failed request.
# Exit status: 0 when every target holds, 1 when one does not, 2 if the benchmark could not run.
set -euo pipefail

EDITS=${EDITS:-10}
RESTARTS=${RESTARTS:-3}
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# A copy to edit, compiled once against the jar's libraries, as `./mvnw compile` leaves a clone.
PROJECT=$TMP/project
mkdir -p "$PROJECT/src" "$PROJECT/target/classes"
cp -r src/main "$PROJECT/src/"
cp -r conf "$PROJECT/"
find "$PROJECT/src/main/java" -name '*.java' >"$TMP/sources"
javac -nowarn -proc:none -g --release 17 -encoding UTF-8 -cp "$RUN_JAR" \
  -d "$PROJECT/target/classes" @"$TMP/sources" || die "cannot compile the copy"
cp -r "$PROJECT/src/main/resources/." "$PROJECT/target/classes/"
HANDLER=$PROJECT/src/main/java/com/example/starter/http/HttpRouter.java
grep -q 'end("Hello, world")' "$HANDLER" || die "GET /hello's handler is not where this script edits it"

free_port; HTTP=$PORT
free_port; WS=$PORT
start_process "$TMP/dev.log" env -C "$PROJECT" HTTP_HOST=$HOST WS_HOST=$HOST HTTP_PORT=$HTTP \
  WS_PORT=$WS DATA_DIR="$TMP/data" CLUSTER=false \
  java $JAVA_OPTS -cp "$PROJECT/target/classes:$RUN_JAR" com.example.starter.dev.DevMode
DEV_PID=$STARTED
wait_ready "dev loop" "$DEV_PID" "http://$HOST:$HTTP/hello" "$TMP/dev.log"

machine_line
echo "$EDITS saves of GET /hello's handler, then $RESTARTS restarts of the jar with AppCDS"
failed=0
asked=0
before="Hello, world"
for edit in $(seq "$EDITS"); do
  after="Hello, edit $edit"
  sed -i "s/end(\"$before\")/end(\"$after\")/" "$HANDLER"
  saved=$(date +%s%N)
  while :; do
    asked=$((asked + 1))
    body=$(curl -sS --max-time 5 "http://$HOST:$HTTP/hello" 2>>"$TMP/failures") || body="(failed)"
    [[ $body == "$after" ]] && break
    [[ $body == "$before" ]] || { failed=$((failed + 1)); echo "edit $edit: $body" >>"$TMP/failures"; }
    (($(date +%s%N) - saved < 30000000000)) || die "edit $edit: no new answer in 30 s (tail of $TMP/dev.log: $(tail -n 3 "$TMP/dev.log"))"
    sleep 0.01
  done
  ms=$((($(date +%s%N) - saved) / 1000000))
  record reload loop hello "$edit" "0 $ms 0 0"
  printf '  save %2d  new code answering after %5d ms\n' "$edit" "$ms"
  before=$after
done
# The loop's own account of each reload: "reloaded in A s (compiled in B s)".
compile_ms=$(grep -o 'compiled in [0-9.]* s' "$TMP/dev.log" | awk '{print $3 * 1000}' | sort -n |
  awk '{v[NR] = $1} END {printf "%.0f", v[int((NR + 1) / 2)]}')
# Generations still in memory after a full GC (jcmd's histogram runs one): the old ones must go.
loaders=$(jcmd "$DEV_PID" GC.class_histogram 2>/dev/null | awk '/Generation\$FreshClassLoader$/ {print $2}')

docker/train-cds "$RUN_JAR" "$TMP/app.jsa" >/dev/null || die "the training run wrote no class-data archive"
for restart in $(seq "$RESTARTS"); do
  free_port
  # shellcheck disable=SC2046
  cds=$(start_ms app-cds "http://$HOST:$PORT/hello" env $(app_env "$PORT") java $JAVA_OPTS \
    -XX:SharedArchiveFile="$TMP/app.jsa" -jar "$RUN_JAR")
  record reload restart-cds hello "$restart" "0 $cds 0 0"
  printf '  restart %d  jar with AppCDS to the first /hello %5d ms\n' "$restart" "$cds"
done

stat_ms() { # subject median|max
  awk -v s="$1" '$2 == s {print $6}' "$RESULTS" | sort -n |
    awk -v w="$2" '{v[NR] = $1} END {printf "%d", (w == "max" ? v[NR] : v[int((NR + 1) / 2)])}'
}
median=$(stat_ms loop median)
worst=$(stat_ms loop max)
restart=$(stat_ms restart-cds median)
echo
echo "save to the new code's answer: median $median ms, worst $worst ms, over $EDITS saves ($asked requests, $failed failed)"
echo "of which the compile: median $compile_ms ms; a new JVM instead: $compile_ms + $restart ms (median restart with AppCDS)"
echo "generations in memory after the saves and a full GC: ${loaders:-0} (1 serving, the rest not yet collected)"
VERDICT=0
for figure in "median $median" "worst $worst"; do
  read -r what value <<<"$figure"
  if ((value <= 2000)); then echo "PASS  reload: $what save to new answer = $value ms (target <= 2000)"
  else echo "FAIL  reload: $what save to new answer = $value ms (target <= 2000)"; VERDICT=1; fi
done
if ((failed == 0)); then echo "PASS  reload: failed requests during the reloads = 0 of $asked (target 0)"
else echo "FAIL  reload: failed requests during the reloads = $failed of $asked (target 0)"; cat "$TMP/failures"; VERDICT=1; fi
exit $VERDICT
