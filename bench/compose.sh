#!/usr/bin/env bash
# Scale-out through the balancer: logged-in GET /api/me through HAProxy into 1, 2 and 3 http
# replicas of the compose stack (docker/docker-compose.yml), each replica capped at HTTP_CPUS of a
# core (docker update --cpus), so that the fronts are the bottleneck until the machine is.
# Everything else (balancer, sessions, accounts, ws, database) runs uncapped on the same machine.
#
#   bench/compose.sh            (also: BENCHES=compose bench/run; not in its default list: it needs
#                                a Docker engine and brings a whole stack up)
#
# Settings (environment), besides those of bench/lib.sh:
#   ROUNDS=3 DURATION=10s WARMUP=20s HTTP_CPUS=0.2 BALANCER_PORT=18090
# (WARMUP runs with the replicas uncapped, then 5 s more capped, before the rounds.)
# Images as docker/e2e picks them (docker/choose-images). Rounds of one replica count run back to
# back: a change of scale takes a replica's start, 20-40 s here.
# Target: 2 replicas give at least 1.7x the throughput of one.
# Exit status: 0 when the target holds, 1 when it does not, 2 if the benchmark could not run.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-20s}
HTTP_CPUS=${HTTP_CPUS:-0.2}
export BALANCER_PORT=${BALANCER_PORT:-18090}
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v docker-compose >/dev/null || die "needs docker-compose and a running Docker engine"
# shellcheck source=docker/choose-images
source docker/choose-images

COMPOSE=(docker-compose -p starter-bench -f docker/docker-compose.yml)
[[ $E2E_EMBEDDED_MONGO == true ]] && COMPOSE+=(-f docker/docker-compose.embedded-mongo.yml)
[[ -n $E2E_ENV_FILE ]] && COMPOSE+=(--env-file "$E2E_ENV_FILE")
stack_down() { "${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1 || true; }
trap 'stack_down; cleanup' EXIT

BASE=http://$HOST:$BALANCER_PORT
# The stack's processes are this benchmark's too: their CPU is not "other processes'" (lib.sh's
# quiet wait and other% would count an idle cluster's heartbeats against the machine).
STACK_PIDS=()
our_ticks() { pid_ticks "${PIDS[@]}" "${STACK_PIDS[@]}"; }
stack_pids() { docker ps -q --filter label=com.docker.compose.project=starter-bench | xargs docker inspect -f '{{.State.Pid}}'; }
http_containers() { docker ps --filter label=com.docker.compose.project=starter-bench --filter label=com.docker.compose.service=http --format '{{.Names}}'; }

# scale_to n: n http replicas, each capped, all healthy and taken in by the balancer.
scale_to() {
  local n=$1 c seen
  "${COMPOSE[@]}" up -d --no-build --scale http="$n" >/dev/null 2>&1 || die "compose up failed"
  for _ in $(seq "$START_TRIES"); do
    seen=$(for c in $(http_containers); do docker inspect -f '{{.State.Health.Status}}' "$c"; done | grep -c healthy || true)
    ((seen == n)) && break
    sleep 0.5
  done
  ((seen == n)) || die "$n http replicas did not get healthy"
  for _ in $(seq "$START_TRIES"); do
    seen=$(for _ in $(seq $((n * 8))); do curl -s -o /dev/null -D - "$BASE/hello" | awk 'tolower($1) == "x-served-by:" {print $2}'; done | sort -u | wc -l)
    ((seen == n)) && break
    sleep 0.5
  done
  ((seen == n)) || die "the balancer does not reach $n http replicas"
  mapfile -t STACK_PIDS < <(stack_pids)
}

echo "$(machine_line), $(docker version --format 'docker {{.Server.Version}}'), http replicas at $HTTP_CPUS CPU each"
"${COMPOSE[@]}" build >"$TMP/build.log" 2>&1 || { tail -30 "$TMP/build.log" >&2; die "image build failed"; }
scale_to 1
COOKIE=$(login_cookie "$BASE" starter.sid)

for n in 1 2 3; do
  scale_to "$n"
  pids=$(for c in $(http_containers); do docker inspect -f '{{.State.Pid}}' "$c"; done | paste -sd ' ')
  # Warmed up uncapped, then capped: under the cap the JIT compiles on the replica's own 0.4 CPU,
  # and every round ran faster than the one before it (2,900, 5,000, 7,000 req/s at one replica).
  for c in $(http_containers); do docker update --cpus 0 "$c" >/dev/null; done
  measure warmup "$pids" "$WARMUP" "$BASE/api/me" -H "Cookie: $COOKIE" >/dev/null
  for c in $(http_containers); do docker update --cpus "$HTTP_CPUS" "$c" >/dev/null; done
  measure warmup "$pids" 5s "$BASE/api/me" -H "Cookie: $COOKIE" >/dev/null
  for round in $(seq "$ROUNDS"); do
    m=$(measure "replicas-$n" "$pids" "$DURATION" "$BASE/api/me" -H "Cookie: $COOKIE")
    echo "replicas $n, round $round: req/s p99ms other% us/req = $m"
    record scale-me "replicas-$n" api/me "$round" "$m"
  done
done

declare -A RPS
echo
echo "| http replicas | /api/me req/s (mean of $ROUNDS) | × one replica | p99 ms (worst) |"
echo "|---|---|---|---|"
for n in 1 2 3; do
  RPS[$n]=$(mean $(awk -v s="replicas-$n" '$2 == s {print $5}' "$RESULTS"))
  worst=$(awk -v s="replicas-$n" '$2 == s && $6 > w {w = $6} END {print w}' "$RESULTS")
  echo "| $n | ${RPS[$n]} | $(div "${RPS[$n]}" "${RPS[1]}") | $worst |"
done
if at_least "$(div "${RPS[2]}" "${RPS[1]}")" 1.7; then
  echo "target (2 replicas >= 1.7x one): PASS"
else
  echo "target (2 replicas >= 1.7x one): MISS"
  exit 1
fi
