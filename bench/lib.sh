# Shared by the benchmark scripts (source it): the jar, wrk, processes this script started (and
# only those), free loopback ports, waiting for a server, and measuring one wrk round with the CPU
# it cost and the CPU that other processes took meanwhile.
#
# Settings read from the environment:
#   THREADS=2 CONNECTIONS=64   wrk's threads and connections
#   JAVA_OPTS=                 JVM options for every Java process started
#   KEEP_TMP=1                 keep the temp dir (logs, DATA_DIR) instead of deleting it
#   START_TRIES=240            polls (0.5 s apart) before giving up on a server
#   QUIET_PCT=5 QUIET_TRIES=120   before each measurement, wait (1 s samples, at most QUIET_TRIES)
#                              until other processes use less than QUIET_PCT % of the CPUs
#   SERVER_CPUS= WRK_CPUS=     optional taskset CPU lists, e.g. SERVER_CPUS=1 WRK_CPUS=0
#   LOAD_WARMUP=3              seconds each bench/WsLoad.java run goes unrecorded first: every run
#                              is a new JVM, whose cold first messages would otherwise be the p99

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
JAVA_OPTS=${JAVA_OPTS:-}
SERVER_CPUS=${SERVER_CPUS:-}
WRK_CPUS=${WRK_CPUS:-}
QUIET_PCT=${QUIET_PCT:-5}
QUIET_TRIES=${QUIET_TRIES:-120}
START_TRIES=${START_TRIES:-240}
LOAD_WARMUP=${LOAD_WARMUP:-3}
HOST=127.0.0.1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"   # the app reads conf/config.json relative to the working directory
JAR=target/starter.jar
BENCH_NAME=$(basename "$0")

die() { echo "$BENCH_NAME: $*" >&2; exit 2; }

apt_install() { # packages...
  if [[ $(id -u) -eq 0 ]]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "$@" >/dev/null || die "cannot install $*"
}

# --- the jar and wrk ---------------------------------------------------------------------------
# Others may build in this tree too: two concurrent builds break each other's shaded jar, so wait
# (bounded) for one already running here instead of starting a second.
maven_running_here() { pgrep -f "maven.multiModuleProjectDirectory=$ROOT( |$)" >/dev/null; }
if [[ ! -f $JAR ]] && maven_running_here; then
  echo "Waiting for the Maven build already running in $ROOT ..."
  for _ in $(seq 300); do maven_running_here || break; sleep 1; done
fi
if [[ ! -f $JAR ]]; then
  echo "Building $JAR ..."
  ./mvnw -B -q package -DskipTests || die "build failed"
fi
command -v wrk >/dev/null || { echo "Installing wrk ..."; apt_install wrk; }
command -v curl >/dev/null || die "curl is needed"
SERVER_PIN=()
WRK_PIN=()
if [[ -n $SERVER_CPUS ]]; then SERVER_PIN=(taskset -c "$SERVER_CPUS"); fi
if [[ -n $WRK_CPUS ]]; then WRK_PIN=(taskset -c "$WRK_CPUS"); fi

# --- cleanup: only what this script started ---------------------------------------------------
TMP=$(mktemp -d -t "${BENCH_NAME%.sh}.XXXXXX")
# The script's measurements, a line each, which its summary reads.
RESULTS=$TMP/results
: >"$RESULTS"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    # The app stops gracefully (SHUTDOWN_GRACE_SECONDS + margin); do not wait forever.
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ ${KEEP_TMP:-0} == 1 ]]; then
    echo "Kept $TMP"
  else
    rm -rf "$TMP"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Run from a copy: target/starter.jar may be rebuilt by someone else while we measure, and a
# running JVM whose jar is replaced fails with NoClassDefFoundError.
copy_jar() { # source destination
  cp "$1" "$2"
  if command -v unzip >/dev/null; then
    unzip -qq -l "$2" >/dev/null 2>&1 || die "$1 is incomplete (being rebuilt?); try again"
  fi
}
RUN_JAR=$TMP/starter.jar
copy_jar "$JAR" "$RUN_JAR"

# compile_bench File.java...: the script's own Java sources (no package), against the jar, into
# $TMP/classes, to run with -cp "$BENCH_CP": compiled once, where `java File.java` compiles on every
# run (2.2 s a run instead of 0.7 s for bench/WsLoad.java on an idle 2-core machine). A source whose
# class is already there is skipped.
compile_bench() {
  local source missing=()
  for source in "$@"; do
    [[ -f $TMP/classes/$(basename "$source" .java).class ]] || missing+=("$source")
  done
  ((${#missing[@]})) || return 0
  mkdir -p "$TMP/classes"
  javac -nowarn -cp "$RUN_JAR" -d "$TMP/classes" "${missing[@]}" || die "cannot compile ${missing[*]}"
}
BENCH_CP=$RUN_JAR:$TMP/classes

# --- ports and processes ----------------------------------------------------------------------
USED_PORTS=" "
PORT=
# Below the kernel's ephemeral range (32768 and up here), where a process's outgoing connections
# and its port-0 servers (the event bus, say) could take a port between its choice and its use.
free_port() { # sets PORT (not echoed: a subshell would forget USED_PORTS)
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 12000))
    [[ $USED_PORTS == *" $port "* ]] && continue
    if ! ss -Htln "sport = :$port" 2>/dev/null | grep -q . \
       && ! (exec 3<>"/dev/tcp/$HOST/$port") 2>/dev/null; then
      USED_PORTS+="$port "
      PORT=$port
      return
    fi
  done
  die "no free port found"
}

STARTED=
start_process() { # log command... ; sets STARTED to its pid
  local log=$1
  shift
  "${SERVER_PIN[@]}" "$@" >"$log" 2>&1 &
  STARTED=$!
  PIDS+=("$STARTED")
}

# start_app log jar [VAR=value...]: the fat jar on loopback, with its own DATA_DIR and the given
# configuration; sets STARTED.
start_app() {
  local log=$1 jar=$2
  shift 2
  # shellcheck disable=SC2086
  start_process "$log" env HTTP_HOST=$HOST WS_HOST=$HOST EMBEDDED_MONGO_HOST=$HOST EMBEDDED_MONGO_PORT=0 \
    DATA_DIR="$TMP/data-$RANDOM$RANDOM" CLUSTER=false "$@" java $JAVA_OPTS -jar "$jar"
}

# start_ms name url command... -> prints the milliseconds from its start to a 200 on url; stops it.
start_ms() {
  local name=$1 url=$2 began pid
  shift 2
  began=$(date +%s%N)
  start_process "$TMP/$name.log" "$@"
  pid=$STARTED
  for _ in $(seq 3000); do
    if curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; then
      echo $((($(date +%s%N) - began) / 1000000))
      kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
      return
    fi
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$TMP/$name.log" >&2; die "$name exited during start"; }
    sleep 0.01
  done
  die "$name did not answer $url"
}

app_env() { # port -> the app's dev-mode environment on that port
  echo HTTP_HOST=$HOST WS_HOST=$HOST EMBEDDED_MONGO_HOST=$HOST EMBEDDED_MONGO_PORT=0 HTTP_PORT="$1" \
    WS_PORT=0 DATA_DIR="$TMP/data-$RANDOM$RANDOM" CLUSTER=false
}

# cluster_nodes name jar fronts [VAR=value...]: an accounts,sessions data node and `fronts` http,ws
# front nodes, clustered on loopback, each ready; sets FRONT_URLS and FRONT_WS_PORTS (arrays, one
# per front), FRONT_PIDS and CLUSTER_PIDS (every node's).
cluster_nodes() {
  local name=$1 jar=$2 fronts=$3 i members data_port data_pid data_url http ws
  shift 3
  local cluster_ports=()
  for i in $(seq 0 "$fronts"); do free_port; cluster_ports+=("$PORT"); done
  members=$(printf "$HOST:%s," "${cluster_ports[@]}"); members=${members%,}
  free_port
  start_app "$TMP/$name-data.log" "$jar" ROLES=accounts,sessions CLUSTER=true CLUSTER_HOST=$HOST \
    CLUSTER_PORT="${cluster_ports[0]}" CLUSTER_MEMBERS="$members" HTTP_PORT="$PORT" "$@"
  data_pid=$STARTED data_url="http://$HOST:$PORT"
  FRONT_URLS=() FRONT_WS_PORTS=() FRONT_PIDS=""
  for i in $(seq 1 "$fronts"); do
    free_port; http=$PORT
    free_port; ws=$PORT
    start_app "$TMP/$name-front$i.log" "$jar" ROLES=http,ws CLUSTER=true CLUSTER_HOST=$HOST \
      CLUSTER_PORT="${cluster_ports[$i]}" CLUSTER_MEMBERS="$members" HTTP_PORT="$http" WS_PORT="$ws" "$@"
    FRONT_PIDS+="$STARTED "
    FRONT_URLS+=("http://$HOST:$http")
    FRONT_WS_PORTS+=("$ws")
  done
  wait_ready "$name-data" "$data_pid" "$data_url/health/ready" "$TMP/$name-data.log"
  local pids=($FRONT_PIDS)
  for i in "${!FRONT_URLS[@]}"; do
    wait_ready "$name-front$((i + 1))" "${pids[$i]}" "${FRONT_URLS[$i]}/health/ready" "$TMP/$name-front$((i + 1)).log"
  done
  CLUSTER_PIDS="$FRONT_PIDS$data_pid"
}

# login_cookie base-url cookie-name [login]: registers the login (where there is registration) and
# logs in; prints the session cookie as "name=value".
login_cookie() {
  local base=$1 name=$2 login=${3:-bench} jar="$TMP/cookies-$RANDOM$RANDOM" user
  user="{\"login\":\"$login\",\"password\":\"correct horse battery\"}"
  curl -s -o /dev/null -H 'Content-Type: application/json' -d "$user" "$base/api/accounts" || true
  curl -fsS -o /dev/null -c "$jar" -H 'Content-Type: application/json' -d "$user" "$base/api/session" \
    || die "cannot log in at $base"
  awk -v n="$name" '$6 == n {print n "=" $7}' "$jar"
}

# heap_app_with_test_classes: the fat jar in dev mode for the heap benchmarks (soak, flood), ready,
# with the test classes they use (the hostile corpus, RawWebSocket) copied to $TMP/test-classes;
# sets HTTP, WS and APP_PID.
heap_app_with_test_classes() {
  [[ -d target/test-classes/com/example/starter ]] || mvn -B -q test-compile || die "cannot compile the test classes"
  cp -r target/test-classes "$TMP/test-classes"
  free_port; HTTP=$PORT
  free_port; WS=$PORT
  start_app "$TMP/app.log" "$RUN_JAR" HTTP_PORT="$HTTP" WS_PORT="$WS"
  APP_PID=$STARTED
  wait_ready app "$APP_PID" "http://$HOST:$HTTP/health/ready" "$TMP/app.log"
}

heap_after_gc() { # MB in use after a full GC, in APP_PID
  jcmd "$APP_PID" GC.run >/dev/null
  jcmd "$APP_PID" GC.heap_info | awk '/used/ {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub(/K,?$/, "", v); print int(v / 1024); exit}}'
}

wait_ready() { # name pid url log
  local name=$1 pid=$2 url=$3 log=$4
  for _ in $(seq "$START_TRIES"); do
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$log" >&2; die "$name exited during start"; }
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then
      return
    fi
    sleep 0.5
  done
  tail -n 30 "$log" >&2
  die "$name did not answer $url after $START_TRIES tries"
}

# --- measuring --------------------------------------------------------------------------------
# The machine may be shared (builds, tests): for each measurement, the CPU time that neither wrk
# nor the processes this script started used is reported as "other %", a share of all the
# machine's CPUs. The CPU time the server under test spent per request (us/req) is reported too:
# it is much less sensitive to such neighbours than req/s.
CLK_TCK=$(getconf CLK_TCK)
# The samplers read /proc with builtins only and return through globals: forking sed/awk every
# second would itself show up as "other" CPU on a small machine.
BUSY=0 TOTAL=0 TICKS=0
machine_ticks() { # BUSY, TOTAL: jiffies of all CPUs since boot
  local cpu user nice system idle iowait irq softirq steal rest
  read -r cpu user nice system idle iowait irq softirq steal rest </proc/stat
  BUSY=$((user + nice + system + irq + softirq + steal))
  TOTAL=$((BUSY + idle + iowait))
}
pid_ticks() { # TICKS: utime + stime of the processes given
  local stat sum=0 pid
  for pid in "$@"; do
    [[ -r /proc/$pid/stat ]] || continue   # a process this script has stopped
    read -r stat <"/proc/$pid/stat" || continue
    stat=${stat##*) }
    # shellcheck disable=SC2086
    set -- $stat
    sum=$((sum + ${12} + ${13}))
  done
  TICKS=$sum
}
our_ticks() { pid_ticks "${PIDS[@]}"; }

# other_pct busy total ours wrk_ticks (deltas) -> % of all CPUs used by others, one decimal
other_pct() {
  local other=$(($1 - $3 - $4)) permille
  ((other > 0)) || other=0
  permille=$((($2 > 0) ? 1000 * other / $2 : 0))
  echo "$((permille / 10)).$((permille % 10))"
}

# Waits, a bounded number of 1 s samples, until other processes leave the CPUs alone.
wait_quiet() {
  local busy0 total0 ours0 other try
  for ((try = 1; try <= QUIET_TRIES; try++)); do
    machine_ticks; busy0=$BUSY total0=$TOTAL
    our_ticks; ours0=$TICKS
    sleep 1
    machine_ticks; our_ticks
    other=$((BUSY - busy0 - (TICKS - ours0)))
    if ((100 * other < QUIET_PCT * (TOTAL - total0))); then
      ((try == 1)) || echo "  (waited $((try - 1)) s for other processes to quiet down)" >&2
      return
    fi
  done
  echo "  (other processes still use $(other_pct $((BUSY - busy0)) $((TOTAL - total0)) $((TICKS - ours0)) 0)%" \
    "of the CPUs after $QUIET_TRIES s; measuring anyway)" >&2
}

# wrk prints latencies as 850.00us, 12.34ms or 1.20s: in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.2f", v * 60000 }
    else { sub(/s$/, "", v); printf "%.2f", v * 1000 } }'
}

# sample_begin "pids" ... sample_end "pids" load_ticks units -> prints "other% us/unit": the CPU
# other processes took meanwhile (a share of all CPUs; the load generator's own ticks, load_ticks,
# are not theirs) and the CPU the subject's processes (all of them, e.g. front and data node) spent
# per unit of work.
sample_begin() {
  wait_quiet
  machine_ticks; S_BUSY0=$BUSY S_TOTAL0=$TOTAL
  our_ticks; S_OURS0=$TICKS
  # shellcheck disable=SC2086
  pid_ticks $1; S_OWN0=$TICKS
}
sample_end() {
  local pids=$1 load_ticks=$2 units=$3 own1 pid
  machine_ticks
  for pid in $pids; do
    kill -0 "$pid" 2>/dev/null || die "pid $pid died during the measurement; see its log"
  done
  # shellcheck disable=SC2086
  pid_ticks $pids; own1=$TICKS
  our_ticks
  echo "$(other_pct $((BUSY - S_BUSY0)) $((TOTAL - S_TOTAL0)) $((TICKS - S_OURS0)) "$load_ticks")" \
    "$(awk -v t=$((own1 - S_OWN0)) -v n="$units" -v hz="$CLK_TCK" 'BEGIN {printf "%.1f", (n > 0 ? t / hz * 1e6 / n : 0)}')"
}
# The CPU ticks of a command timed with TIMEFORMAT='%3U %3S' into file $1.
timed_ticks() { awk -v hz="$CLK_TCK" '{printf "%d", ($1 + $2) * hz}' "$1"; }

# measure name "pids" duration url [wrk options...] -> prints "req/s p99ms other% us/req".
# Complains about socket errors and non-2xx answers: they would make a fast figure meaningless.
measure() {
  local name=$1 pids=$2 duration=$3 url=$4 out rps requests p99
  shift 4
  sample_begin "$pids"
  local TIMEFORMAT='%3U %3S'
  { time "${WRK_PIN[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency "$@" "$url" \
      >"$TMP/wrk.out" 2>&1; } 2>"$TMP/wrk.time" || true
  out=$(<"$TMP/wrk.out")
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  requests=$(awk '/ requests in / {print $1}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  [[ -n $rps && -n $requests && -n $p99 ]] || { echo "$out" >&2; die "no figures in wrk output for $name"; }
  if grep -qE 'Socket errors|Non-2xx' <<<"$out"; then
    echo "warning: $name: $(grep -E 'Socket errors|Non-2xx' <<<"$out" | tr -s ' ' | paste -sd ';')" >&2
  fi
  echo "$rps $(to_ms "$p99") $(sample_end "$pids" "$(timed_ticks "$TMP/wrk.time")" "$requests")"
}

# ws_load name pids port(s) mode sockets seconds [mode args...]: bench/WsLoad.java against the subject's
# processes (pids), after LOAD_WARMUP unrecorded seconds -> prints "rate p99ms loss% other% us/unit".
ws_load() {
  local name=$1 pids=$2 port=$3 mode=$4 sockets=$5 seconds=$6 rate p99 loss units
  shift 6
  sample_begin "$pids"
  local TIMEFORMAT='%3U %3S'
  compile_bench bench/WsLoad.java
  { time java $JAVA_OPTS -Dwarmup="$LOAD_WARMUP" -cp "$BENCH_CP" WsLoad "$mode" "$port" "$sockets" "$seconds" "$@" \
      >"$TMP/load.out" 2>"$TMP/load.err"; } 2>"$TMP/load.time" || { cat "$TMP/load.err" >&2; die "$name: the load failed"; }
  read -r rate p99 loss units < <(tail -n 1 "$TMP/load.out")
  echo "$rate $p99 $loss $(sample_end "$pids" "$(timed_ticks "$TMP/load.time")" "$units")"
}

# record scenario subject path round "req/s p99ms other% us/req": one measurement, into the
# script's own RESULTS file (for its table) and, when bench/run asks for it, into RESULTS_CSV.
record() {
  local line="$1 $2 $3 $4 $5"
  echo "$line" >>"$RESULTS"
  [[ -z ${RESULTS_CSV:-} ]] || tr ' ' ',' <<<"${BENCH_NAME%.sh} $line" >>"$RESULTS_CSV"
}

mean() { printf '%s\n' "$@" | awk '{s += $1} END {printf "%.2f", s / NR}'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", (b > 0 ? a / b : 0)}'; }
at_least() { awk -v a="$1" -v b="$2" 'BEGIN {exit !(a >= b)}'; }

machine_line() {
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)," \
    "$(java -version 2>&1 | head -n 1), $(wrk --version 2>&1 | head -n 1 | awk '{print $1, $2}')"
}
