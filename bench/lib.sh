# Helpers of bench/run: processes it starts (and always stops), free ports, the load generator,
# data files. Sourced by bench/run, never run.

PIDS=()          # every process this run started; cleanup stops the ones still alive
USED_PORTS=" "

say() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }

# spawn NAME CMD...: runs CMD in the background, output in $TMP/NAME.log; sets SPAWNED
spawn() {
  local name=$1; shift
  "$@" >"$TMP/$name.log" 2>&1 </dev/null &
  SPAWNED=$!
  PIDS+=("$SPAWNED")
}

# spawn_stamped NAME CMD...: like spawn, but every line of standard error gets a millisecond
# epoch timestamp in $TMP/NAME.err (used to time the broker's DOWN line)
spawn_stamped() {
  local name=$1; shift
  "$@" >"$TMP/$name.log" 2> >(perl -MTime::HiRes=time -ne '$| = 1; printf "%d %s", time * 1000, $_' \
      >"$TMP/$name.err") </dev/null &
  SPAWNED=$!
  PIDS+=("$SPAWNED")
}

# stop PID: SIGTERM, up to 10 s to exit, then SIGKILL; reaps it
stop() {
  local pid=$1 i
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do stop "$pid"; done
  PIDS=()
}

cleanup() {
  local code=$?
  trap - EXIT INT TERM
  stop_all
  if [ "$KEEP_TMP" = 0 ] && [ -n "${TMP:-}" ]; then rm -rf "$TMP"; fi
  [ $code -ne 0 ] && [ "$KEEP_TMP" = 1 ] && say "logs kept in $TMP"
  exit $code
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port VAR: sets VAR to a loopback port no socket uses, not handed out before in this run, below the
# kernel's ephemeral range (so no outgoing connection of this run can take it in the meantime)
free_port() {
  local _p _low=32768
  [ -r /proc/sys/net/ipv4/ip_local_port_range ] && read -r _low _ </proc/sys/net/ipv4/ip_local_port_range
  [ "$_low" -gt 11000 ] || _low=32768
  while :; do
    _p=$((10000 + RANDOM % (_low - 10000)))
    case $USED_PORTS in *" $_p "*) continue ;; esac
    port_open "$_p" && continue
    if command -v ss >/dev/null && [ -n "$(ss -Htan "( sport = :$_p )" 2>/dev/null)" ]; then continue; fi
    USED_PORTS+="$_p "
    printf -v "$1" '%s' "$_p"
    return
  done
}

# wait_port PORT PID NAME: until PORT accepts connections; fails if PID exits or after 120 s
wait_port() {
  local deadline=$((SECONDS + 120))
  until port_open "$1"; do
    kill -0 "$2" 2>/dev/null || die "$3 exited before listening on $1; log: $(tail -n 5 "$TMP/$3.log" 2>/dev/null)"
    [ $SECONDS -lt $deadline ] || die "$3 did not listen on $1 within 120 s"
    sleep 0.05
  done
}

start_redis() { # start_redis NAME PORT
  spawn "$1" redis-server --port "$2" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
      --dir "$TMP" --dbfilename "$1.rdb"
  wait_port "$2" "$SPAWNED" "$1"
}

start_kvserver() { # start_kvserver NAME PORT
  spawn "$1" java -Xlog:gc:file="$TMP/$1.gc.log" $SERVER_JAVA_OPTS -jar "$ROOT/kvServer/target/kvServer.jar" -a 127.0.0.1 -p "$2" --quiet $SERVER_FLAGS
  wait_port "$2" "$SPAWNED" "$1"
}

# rbench PORT PIPELINE REQUESTS CMD...: redis-benchmark, 50 clients, random keys in the keyspace;
# prints requests per second. When the server answered an error (redis-benchmark stops at the
# first), returns 1 with the error in $TMP/rbench.err.
rbench() {
  local port=$1 pipeline=$2 n=$3 out; shift 3
  out=$(timeout 900 redis-benchmark -h 127.0.0.1 -p "$port" -c "$CLIENTS" -n "$n" -r "$KEYSPACE" -P "$pipeline" --csv "$@" 2>&1) || true
  printf '== port %s -P %s -n %s %s\n%s\n' "$port" "$pipeline" "$n" "$1" "$out" >>"$TMP/redis-benchmark.log"
  if grep -q 'Error' <<<"$out" || ! tail -n 1 <<<"$out" | grep -q '^"'; then
    { grep 'Error' <<<"$out" || tail -n 1 <<<"$out" | grep . || echo "no result (timed out after 900 s?)"; } \
      | head -n 1 | cut -c1-160 >"$TMP/rbench.err"
    return 1
  fi
  # last line: "title","rps","avg_latency_ms",... (the title may contain commas: count from the end)
  tail -n 1 <<<"$out" | awk -F, '{ v = $(NF - 6); gsub(/"/, "", v); printf "%.0f\n", v }'
}

# ratio OURS ANCHOR -> "0.53x"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a + 0 > 0) printf "%.2fx", a / b; else print "n/a" }'; }

# fmt N -> 12,345
fmt() {
  awk -v n="$1" 'BEGIN { s = sprintf("%.0f", n); o = ""
    while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
    print s o }'
}

row() { TABLE+="| $1 | $2 | $3 | $4 | $5 |"$'\n'; }

# to_resp VERB < records > RESP: "key : set" lines -> RESP arrays VERB key set (bytes, not chars)
to_resp() {
  LC_ALL=C awk -v verb="$1" '{
    i = index($0, " : "); if (i == 0) next
    k = substr($0, 1, i - 1); v = substr($0, i + 3)
    printf "*3\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(verb), verb, length(k), k, length(v), v
  }'
}

# pad_keys < createData output: personN -> person%012d of N-1, the keys redis-benchmark's
# __rand_int__ produces (12 digits, 0..keyspace-1), so every benchmark GET hits a record
pad_keys() {
  LC_ALL=C awk '{
    i = index($0, " : "); k = substr($0, 1, i - 1)
    match(k, /[0-9]+$/)
    printf "%s%012d%s\n", substr(k, 1, RSTART - 1), substr(k, RSTART) - 1, substr($0, i)
  }'
}

# now_ms: epoch milliseconds
now_ms() { date +%s%3N; }

# bulk_load "PIDS" CMD...: runs a loading command (output appended to $TMP/bulk.log); sets
# BULK_RATE (records/s over its wall time) and BULK_CPU_US (CPU microseconds per record: the command
# and its children plus the serving processes PIDS)
bulk_load() {
  local pids=$1 c0 c1 u s wall; shift
  c0=$(cpu_seconds $pids)
  TIMEFORMAT='%R %U %S'
  { time timeout 1800 "$@" >>"$TMP/bulk.log" 2>&1; } 2>"$TMP/time.out" || die "$* failed: $(tail -n 5 "$TMP/bulk.log")"
  c1=$(cpu_seconds $pids)
  read -r wall u s <"$TMP/time.out"
  BULK_RATE=$(awk -v w="$wall" -v n="$RECORDS" 'BEGIN { print n / w }')
  BULK_CPU_US=$(awk -v a="$c0" -v b="$c1" -v u="$u" -v s="$s" -v n="$RECORDS" \
      'BEGIN { printf "%.1f", (u + s + b - a) * 1e6 / n }')
}

# nut_config FILE LISTEN_PORT EJECT(0|1) REDIS_PORT...: a twemproxy pool over the redis ports
nut_config() {
  local file=$1 listen=$2 eject=$3 p; shift 3
  {
    echo "bench:"
    echo "  listen: 127.0.0.1:$listen"
    echo "  hash: fnv1a_64"
    echo "  distribution: ketama"
    echo "  redis: true"
    echo "  preconnect: true"
    if [ "$eject" = 1 ]; then
      echo "  auto_eject_hosts: true"
      echo "  server_failure_limit: 1"
      echo "  server_retry_timeout: 30000"
      echo "  timeout: 1500"
    fi
    echo "  servers:"
    for p in "$@"; do echo "   - 127.0.0.1:$p:1"; done
  } >"$file"
}

# jmh_table CSV...: JMH's CSV results as one markdown table, a row per benchmark, a column per map
jmh_table() {
  awk -F, '
    FNR == 1 { next }
    {
      gsub(/"/, ""); n = split($1, parts, "."); b = parts[n]
      score[b, $8] = $5; err[b, $8] = $6; unit[b] = $7
      if (!(b in seen)) { seen[b] = 1; order[++nb] = b }
    }
    END {
      split("RadixTrie HashMap TreeMap ConcurrentRadixTree", kinds, " ")
      print "| JMH (1M keys person1..person1000000; lower is better) | RadixTrie (ours) | HashMap | TreeMap | ConcurrentRadixTree |"
      print "|---|---:|---:|---:|---:|"
      for (i = 1; i <= nb; i++) {
        b = order[i]; line = "| " b " (" unit[b] ") |"
        for (j = 1; j <= 4; j++) {
          v = score[b, kinds[j]]
          line = line " " (v == "" ? "n/a" : sprintf(v < 100 ? "%.1f" : "%.0f", v)) " |"
        }
        print line
      }
    }' "$@"
}

# write_results: the results file (date, machine, versions, table, notes) and the table on stdout
write_results() {
  local out host cpu
  host=$(hostname -s)
  # one file per day, machine and commit, so runs before and after a change sit side by side
  # (bench/compare BEFORE.md AFTER.md)
  local rev=${KV_COMMIT%% *}
  [ "$rev" = "$KV_COMMIT" ] || rev+="-dirty"
  out="$BENCH_DIR/results/$(date +%F)-$host-$rev.md"
  if [ "$MODE" = quick ]; then out="${out%.md}-quick.md"; fi
  RESULTS_FILE=$out
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
  {
    echo "# KV benchmarks: $(date +%F) on $host ($MODE run: bench/run$(if [ "$MODE" = quick ]; then echo ' --quick'; fi))"
    echo
    echo "- Machine: $(nproc) cores (${cpu:-unknown CPU}), $(awk '/^MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr)"
    echo "- JVM: $(java -version 2>&1 | sed -n 2p)"
    echo "- Anchors: $(redis-server --version | awk '{ print $1, $2, $3 }'), $(nutcracker --version 2>&1 | head -n 1)"
    echo "- Load generator: $(redis-benchmark --version), $CLIENTS clients, keys person000000000000..$(printf 'person%012d' $((KEYSPACE - 1))) (-r $KEYSPACE);" \
         "$(fmt $N1) requests without pipelining, $(fmt $N16) with -P 16, after a $(fmt $WARM)-request warm-up of the same workload;" \
         "figures are the best of $REPEATS runs, anchor and ours alternating"
    echo "- KV: commit $KV_COMMIT, kvServer --quiet $SERVER_FLAGS; JVM options: kvServer ${SERVER_JAVA_OPTS:-none}, kvBroker ${BROKER_JAVA_OPTS:-none}"
    echo "- Load average at start: $LOAD_START; at end: $(cut -d' ' -f1-3 /proc/loadavg); run took $((SECONDS - STARTED)) s"
    echo
    echo "| workload | anchor | anchor figure | ours | ratio (ours / anchor) |"
    echo "|---|---|---:|---:|---:|"
    printf '%s' "$TABLE"
    echo
    cat "$BENCH_DIR/results-notes.md"
    if [ -n "$JMH_MD" ]; then
      echo
      echo "## The trie against other maps (JMH, bench/jmh)"
      echo
      echo "$JMH_MD"
    fi
    if [ -n "${MODES_MD:-}" ]; then
      echo "$MODES_MD"
    fi
  } >"$out"
  cat "$out"
  say "written to ${out#$ROOT/}"
  # the ratios as a bar chart beside it (XChart, in bench/jmh's jar)
  if java -cp "$ROOT/bench/jmh/target/benchmarks.jar" kv.bench.RatioChart "$out" "${out%.md}.png" 2>"$TMP/chart.log"; then
    say "chart: ${out#$ROOT/} -> ${out%.md}.png"
  else
    say "no chart: $(tail -n 3 "$TMP/chart.log")"
  fi
}

# max A B (numbers)
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 >= b + 0) ? a : b }'; }

# min A B (numbers)
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 <= b + 0) ? a : b }'; }

# cpu_seconds PID...: user + system CPU time the processes have used so far, in seconds
cpu_seconds() {
  local pid hz
  hz=$(getconf CLK_TCK)
  for pid in "$@"; do cat "/proc/$pid/stat"; done \
    | awk -v hz="$hz" '{ sub(/^.*\) /, ""); s += $12 + $13 } END { printf "%.3f\n", s / hz }'
}
