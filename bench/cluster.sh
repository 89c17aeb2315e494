#!/usr/bin/env bash
# Across nodes: an accounts,sessions data node and two http,ws fronts, clustered on loopback.
# - scaling: GET /api/me with a session through one front, then through both at once (the same
#   connections split between them), the curve of throughput against the number of fronts;
# - chat across nodes: RATE messages a second into a room of LISTENERS sockets on one front, then
#   LISTENERS on each front (the sender on the first), with loss.
# Alternating within each round, 127.0.0.1 only.
#
#   bench/cluster.sh
#
# Settings (environment), besides those of bench/lib.sh:
#   ROUNDS=3 DURATION=10s WARMUP=10s LISTENERS=1000 RATE=10
# Target: the chat's p99 across two nodes < 2x its p99 on one, with no loss. (This machine has two
# cores for three nodes and the load: the scaling curve shows what two fronts cost here, not what
# they give on machines of their own.)
# Exit status: 0 when every target holds, 1 when one does not, 2 if the benchmark could not run.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
LISTENERS=${LISTENERS:-1000}
RATE=${RATE:-10}
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# One origin for the chat on both fronts (each would otherwise allow only its own pages').
ORIGIN=http://bench.localhost
cluster_nodes cluster "$RUN_JAR" 2 WS_SOCKETS_PER_SESSION=1000 CHAT_MESSAGES_PER_SECOND=$((RATE * 10)) \
  WS_ALLOWED_ORIGINS=$ORIGIN
FRONT1=${FRONT_URLS[0]} FRONT2=${FRONT_URLS[1]}
# Sessions live in the data node: a session made through one front works through the other.
COOKIES=()
for i in $(seq 0 $((2 * LISTENERS / 1000))); do
  COOKIES+=("$(login_cookie "$FRONT1" starter.sid "bench$i")")
done
ME_COOKIE=${COOKIES[0]}

# me_through urls... -> "req/s p99ms other% us/req": wrk on every front at once, CONNECTIONS split
# between them; the throughput is their sum, the p99 the worst.
me_through() {
  local n=$# i=0 url outs=() rps=0 requests=0 p99=0 r q p
  sample_begin "$CLUSTER_PIDS"
  local TIMEFORMAT='%3U %3S'
  {
    time {
      for url in "$@"; do
        wrk -t1 -c$((CONNECTIONS / n)) -d"$LENGTH" --latency -H "Cookie: $ME_COOKIE" "$url/api/me" >"$TMP/wrk-$i.out" 2>&1 &
        outs+=("$TMP/wrk-$i.out")
        i=$((i + 1))
      done
      wait
    }
  } 2>"$TMP/wrk.time"
  for url in "${outs[@]}"; do
    r=$(awk '/^Requests\/sec:/ {print $2}' "$url")
    q=$(awk '/ requests in / {print $1}' "$url")
    p=$(to_ms "$(awk '$1 == "99%" {print $2}' "$url")")
    [[ -n $r && -n $q ]] || { cat "$url" >&2; die "no figures in wrk output"; }
    rps=$(awk -v a="$rps" -v b="$r" 'BEGIN {printf "%.2f", a + b}')
    requests=$((requests + q))
    p99=$(awk -v a="$p99" -v b="$p" 'BEGIN {print (b > a) ? b : a}')
  done
  echo "$rps $p99 $(sample_end "$CLUSTER_PIDS" "$(timed_ticks "$TMP/wrk.time")" "$requests")"
}

# chat ports -> "deliveries/s p99ms loss% other% us/delivery"
chat() {
  # shellcheck disable=SC2068
  ws_load chat "$CLUSTER_PIDS" "$1" fanout "$LISTENERS_NOW" "${LENGTH%s}" "$RATE" "$ORIGIN" ${COOKIES[@]}
}

echo "jar: $JAR built $(date -r "$JAR" '+%F %T %Z') (run from a copy); tree at git $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "data node and fronts: pids $CLUSTER_PIDS; fronts $FRONT1, $FRONT2 (ws ports ${FRONT_WS_PORTS[*]})"
machine_line
echo "/api/me: wrk, $CONNECTIONS connections in all; chat: $RATE msg/s into $LISTENERS listeners per node; warm-up $WARMUP, then $ROUNDS rounds of $DURATION"
for round in $(seq 0 "$ROUNDS"); do
  LENGTH=$( ((round == 0)) && echo "$WARMUP" || echo "$DURATION")
  one=$(me_through "$FRONT1")
  two=$(me_through "$FRONT1" "$FRONT2")
  LISTENERS_NOW=$LISTENERS
  chat_one=$(chat "${FRONT_WS_PORTS[0]}")
  LISTENERS_NOW=$((2 * LISTENERS))
  chat_two=$(chat "${FRONT_WS_PORTS[0]},${FRONT_WS_PORTS[1]}")
  ((round > 0)) || continue
  record scale-me fronts-1 api/me "$round" "$one"
  record scale-me fronts-2 api/me "$round" "$two"
  read -r rate p99 loss other us <<<"$chat_one"
  record chat-nodes nodes-1 ws/chat "$round" "$rate $p99 $other $us"
  echo "chat nodes-1 $round $loss" >>"$TMP/loss"
  read -r rate2 p992 loss2 other us <<<"$chat_two"
  record chat-nodes nodes-2 ws/chat "$round" "$rate2 $p992 $other $us"
  echo "chat nodes-2 $round $loss2" >>"$TMP/loss"
  printf '  round %d  /api/me through 1 front %s req/s, through 2 %s req/s; chat p99 one node %s ms, two nodes %s ms (loss %s %%, %s %%)\n' \
    "$round" "$(cut -d' ' -f1 <<<"$one")" "$(cut -d' ' -f1 <<<"$two")" "$p99" "$p992" "$loss" "$loss2"
done

figure() { awk -v s="$1" -v w="$2" -v c="$3" '$1 == s && $2 == w {v = (c == "rps") ? $5 : $6; n++; sum += v} END {printf "%.2f", n ? sum / n : 0}' "$RESULTS"; }
echo
printf '%-11s %-8s %12s %10s\n' scenario subject "rate mean" "p99 mean"
for row in "scale-me fronts-1" "scale-me fronts-2" "chat-nodes nodes-1" "chat-nodes nodes-2"; do
  # shellcheck disable=SC2086
  printf '%-11s %-8s %12s %10s\n' $row "$(figure $row rps)" "$(figure $row p99)"
done
echo "(rate: /api/me req/s, chat deliveries/s; p99 in ms)"
echo
echo "scaling: /api/me through 2 fronts / 1 = $(div "$(figure scale-me fronts-2 rps)" "$(figure scale-me fronts-1 rps)") (reported)"
VERDICT=0
ratio=$(div "$(figure chat-nodes nodes-2 p99)" "$(figure chat-nodes nodes-1 p99)")
if awk -v r="$ratio" 'BEGIN {exit !(r < 2)}'; then echo "PASS  cluster: chat p99 across two nodes / one = $ratio (target < 2)"
else echo "FAIL  cluster: chat p99 across two nodes / one = $ratio (target < 2)"; VERDICT=1; fi
lost=$(awk '$2 == "nodes-2" && $4 > m {m = $4} END {print m + 0}' "$TMP/loss")
if awk -v l="$lost" 'BEGIN {exit !(l == 0)}'; then echo "PASS  cluster: chat across two nodes, most lost in a round = $lost % (target 0)"
else echo "FAIL  cluster: chat across two nodes, most lost in a round = $lost % (target 0)"; VERDICT=1; fi
exit $VERDICT
