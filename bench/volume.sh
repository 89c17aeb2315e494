#!/usr/bin/env bash
# Does the cost of a request grow with the data stored? The service against databases filled with
# N accounts and N live sessions (bench/Fill.java, written directly, not through Argon2id), N = 0,
# 10,000 and 100,000: GET /api/me, login and registration. Two database setups, one after the
# other: the embedded database in the service's own process (dev mode), and the `mongo` role in a
# process of its own reached through MONGO_URL. Within a setup, its three sizes run at once and are
# measured in turn in each round, so that they share the machine's noise.
#
#   bench/volume.sh
#
# /api/me runs with the session cache off and a touch on every request (SESSION_CACHE_SIZE=0,
# SESSION_TOUCH_AFTER_SECONDS=0), so that each request reads and writes its session in the
# database: the database's cost, not the cache's, is what is measured. Its cookies are spread over
# ACTIVE sessions, logins over ACTIVE accounts; registrations are new logins.
#
# Settings (environment), besides those of bench/lib.sh:
#   SIZES="0 10000 100000" ACTIVE=1000 MODES="embedded mongo" ROUNDS=3 DURATION=10s WARMUP=10s
#   ME_CONNECTIONS=16 HASH_CONNECTIONS=4 TOLERANCE=1.2
# Target: at the largest size, every figure within TOLERANCE of the size-0 figure of the same mode
# (throughput at least 1/TOLERANCE of it, p99 at most TOLERANCE times it).
# Exit status: 0 when every figure holds, 1 when one does not, 2 if the benchmark could not run.
set -euo pipefail

SIZES=${SIZES:-0 10000 100000}
ACTIVE=${ACTIVE:-1000}
MODES=${MODES:-embedded mongo}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
ME_CONNECTIONS=${ME_CONNECTIONS:-16}
HASH_CONNECTIONS=${HASH_CONNECTIONS:-4}
TOLERANCE=${TOLERANCE:-1.2}
PASSWORD="correct horse battery"
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# --- load scripts -----------------------------------------------------------------------------
cat >"$TMP/me.lua" <<LUA
local active = $ACTIVE
request = function()
  return wrk.format("GET", "/api/me", {["Cookie"] = string.format("starter.sid=%064x", math.random(0, active - 1))})
end
LUA
cat >"$TMP/login.lua" <<LUA
local active = $ACTIVE
request = function()
  local body = string.format('{"login":"bench%d","password":"$PASSWORD"}', math.random(0, active - 1))
  return wrk.format("POST", "/api/session", {["Content-Type"] = "application/json"}, body)
end
LUA
cat >"$TMP/register.lua" <<LUA
local threads = 0
setup = function(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
local count = 0
local run = os.time() % 100000
request = function()
  count = count + 1
  local body = string.format('{"login":"r%d-%d-%d","password":"$PASSWORD"}', run, tid, count)
  return wrk.format("POST", "/api/accounts", {["Content-Type"] = "application/json"}, body)
end
LUA

# --- databases and services -------------------------------------------------------------------
# mongo_role dir -> sets MONGO_PORT, MONGO_PID: the embedded database alone, serving dir
mongo_role() {
  free_port; MONGO_PORT=$PORT
  free_port
  start_app "$TMP/mongo-$(basename "$1").log" "$RUN_JAR" ROLES=mongo EMBEDDED_MONGO_PORT="$MONGO_PORT" DATA_DIR="$1" HTTP_PORT="$PORT"
  MONGO_PID=$STARTED
  wait_ready "mongo role" "$MONGO_PID" "http://$HOST:$PORT/health/live" "$TMP/mongo-$(basename "$1").log"
}

# service name [VAR=value...] -> sets SERVICE_URL, SERVICE_PID
service() {
  local name=$1
  shift
  free_port; local http=$PORT
  free_port; local ws=$PORT
  start_app "$TMP/$name.log" "$RUN_JAR" HTTP_PORT="$http" WS_PORT="$ws" SESSION_CACHE_SIZE=0 SESSION_TOUCH_AFTER_SECONDS=0 "$@"
  SERVICE_PID=$STARTED
  SERVICE_URL="http://$HOST:$http"
  wait_ready "$name" "$SERVICE_PID" "$SERVICE_URL/health/ready" "$TMP/$name.log"
}

SUBJECTS=()   # this mode's "mode size pid url"
MODE_PIDS=()  # this mode's processes, stopped before the next mode starts

# The service starts on an empty database (its roles create their indexes), then the database is
# filled while it runs, as weeks of use would fill it.
prepare() { # mode size
  local mode=$1 size=$2 dir="$TMP/data-$1-$2" started db_port
  started=$(date +%s)
  if [[ $mode == embedded ]]; then
    free_port; db_port=$PORT
    service "$mode-$size" DATA_DIR="$dir" EMBEDDED_MONGO_PORT="$db_port"
  else
    mongo_role "$dir"
    db_port=$MONGO_PORT
    service "$mode-$size" MONGO_URL="mongodb://$HOST:$MONGO_PORT"
  fi
  # The seed's password is hashed by the service; Fill gives every account that hash.
  curl -fsS -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"login\":\"fill-seed\",\"password\":\"$PASSWORD\"}" "$SERVICE_URL/api/accounts" \
    || die "cannot register the seed account at $SERVICE_URL"
  # shellcheck disable=SC2086
  compile_bench bench/Fill.java
  java $JAVA_OPTS -cp "$BENCH_CP" Fill "mongodb://$HOST:$db_port" starter "$size" "$ACTIVE" fill-seed >>"$TMP/fill.log" 2>&1 \
    || { tail -n 20 "$TMP/fill.log" >&2; die "filling the database failed"; }
  SUBJECTS+=("$mode $size $SERVICE_PID $SERVICE_URL")
  MODE_PIDS+=("$SERVICE_PID" "${MONGO_PID:-}")
  echo "$mode, N=$size: $((size + ACTIVE)) accounts and sessions, ready in $(($(date +%s) - started)) s (pid $SERVICE_PID, $SERVICE_URL)"
}

scenario_args() { # scenario -> wrk options and path
  case $1 in
    me) echo "-c$ME_CONNECTIONS -s $TMP/me.lua /api/me" ;;
    login) echo "-c$HASH_CONNECTIONS -s $TMP/login.lua /api/session" ;;
    register) echo "-c$HASH_CONNECTIONS -s $TMP/register.lua /api/accounts" ;;
  esac
}

echo "jar: $JAR built $(date -r "$JAR" '+%F %T %Z') (run from a copy); tree at git $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
machine_line
echo "wrk -t$THREADS: /api/me -c$ME_CONNECTIONS, login and registration -c$HASH_CONNECTIONS; warm-up $WARMUP, then $ROUNDS rounds of $DURATION"
# One mode at a time: its sizes run side by side and are measured in turn within each round (each
# size's baseline is N=0 of the same rounds); the other mode's processes are not running meanwhile.
for mode in $MODES; do
  SUBJECTS=()
  MODE_PIDS=()
  MONGO_PID=
  for size in $SIZES; do
    prepare "$mode" "$size"
  done
  for round in $(seq 0 "$ROUNDS"); do
    for scenario in me login register; do
      for subject in "${SUBJECTS[@]}"; do
        read -r _ size pid url <<<"$subject"
        read -r c s script path <<<"$(scenario_args "$scenario")"
        result=$(measure "$mode-$size-$scenario" "$pid" "$( ((round == 0)) && echo "$WARMUP" || echo "$DURATION")" "$url$path" "$c" "$s" "$script")
        ((round == 0)) && continue
        record "$mode" "$size" "$scenario" "$round" "$result"
        read -r rps p99 _ <<<"$result"
        printf '  round %d  %-8s N=%-7s %-8s %10s req/s  p99 %8s ms\n' "$round" "$mode" "$size" "$scenario" "$rps" "$p99"
      done
    done
  done
  for pid in "${MODE_PIDS[@]}"; do
    [[ -z $pid ]] || kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${MODE_PIDS[@]}"; do
    [[ -z $pid ]] || wait "$pid" 2>/dev/null || true
  done
done

# --- table and targets ------------------------------------------------------------------------
mean_of() { # mode size scenario column(5=rps, 6=p99)
  awk -v m="$1" -v n="$2" -v s="$3" -v c="$4" '$1 == m && $2 == n && $3 == s {sum += $c; k++} END {printf "%.2f", k ? sum / k : 0}' "$RESULTS"
}
echo
printf '%-9s %-8s %-9s %12s %10s %12s %12s\n' mode N scenario "req/s mean" "p99 mean" "req/s vs 0" "p99 vs 0"
VERDICT=0
LARGEST=${SIZES##* }
for mode in $MODES; do
  for scenario in me login register; do
    base_rps=$(mean_of "$mode" 0 "$scenario" 5)
    base_p99=$(mean_of "$mode" 0 "$scenario" 6)
    for size in $SIZES; do
      rps=$(mean_of "$mode" "$size" "$scenario" 5)
      p99=$(mean_of "$mode" "$size" "$scenario" 6)
      rps_ratio=$(div "$rps" "$base_rps")
      p99_ratio=$(div "$p99" "$base_p99")
      printf '%-9s %-8s %-9s %12s %10s %12s %12s\n' "$mode" "$size" "$scenario" "$rps" "$p99" "$rps_ratio" "$p99_ratio"
      if [[ $size == "$LARGEST" ]]; then
        if ! at_least "$rps_ratio" "$(div 1 "$TOLERANCE")" || ! at_least "$TOLERANCE" "$p99_ratio"; then
          echo "FAIL  $mode $scenario at N=$size: throughput $rps_ratio, p99 $p99_ratio of N=0 (tolerance $TOLERANCE)"
          VERDICT=1
        fi
      fi
    done
  done
done
echo "(p99 in ms; ratios to the same mode's N=0 in the same rounds)"
[[ $VERDICT == 0 ]] && echo "PASS  every figure at N=$LARGEST within $TOLERANCE of N=0"
exit $VERDICT
