# Shared by the launchers in bin/: locating the repository, building a missing or stale jar,
# and reading serverFile.txt. Sourced, never run.

KV_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"

# JVM options every launcher passes, before KV_JAVA_OPTS (a later flag wins, so KV_JAVA_OPTS can
# undo them). C2 inlines less code it has already compiled (InlineSmallCode 2500 -> 1000 bytes,
# MaxInlineLevel 15 -> 9): a fresh JVM compiles far less, which a bulk load into fresh processes
# feels most (README, "JVM options"); request rates of warm processes measured the same.
KV_JVM_OPTS="-XX:InlineSmallCode=1000 -XX:MaxInlineLevel=9"

# kv_jar MODULE -> path of the module's runnable jar
kv_jar() { echo "$KV_ROOT/$1/target/$1.jar"; }

# kv_stale MODULE: true when the jar is missing or older than a source or pom it is built from
# (its own, common's and raft's: kvServer and kvBroker use the raft module)
kv_stale() {
  local jar; jar=$(kv_jar "$1")
  [ -f "$jar" ] || return 0
  [ -n "$(find "$KV_ROOT/$1/src/main" "$KV_ROOT/common/src/main" "$KV_ROOT/raft/src/main" "$KV_ROOT/pom.xml" "$KV_ROOT/$1/pom.xml" \
      -newer "$jar" -type f -print -quit 2>/dev/null)" ]
}

# kv_build MODULE...: builds the modules whose jars are missing or stale, with a one-line note.
# Launchers started together (three servers at once) take turns on a lock, and whoever waited
# finds the jars fresh, so one build runs instead of several clashing in the same target folders.
kv_build() {
  local m stale=0
  for m in "$@"; do kv_stale "$m" && stale=1; done
  [ $stale = 0 ] && return 0
  command -v mvn >/dev/null || { echo "kv: Maven (mvn) is needed to build $*; install it or build the jars" >&2; return 1; }
  if command -v flock >/dev/null && mkdir -p "$KV_ROOT/run" 2>/dev/null; then
    ( flock 9 && kv_build_now "$@" ) 9>"$KV_ROOT/run/.build.lock"
  else
    kv_build_now "$@"
  fi
}

kv_build_now() {
  local todo=() m
  for m in "$@"; do kv_stale "$m" && todo+=("$m"); done
  [ ${#todo[@]} -eq 0 ] && return 0
  local list; list=$(IFS=,; echo "${todo[*]}")
  local why="first run"
  [ -f "$(kv_jar "${todo[0]}")" ] && why="sources changed since the last build"
  echo "kv: building ${todo[*]} ($why; about a minute)..." >&2
  local log; log=$(mktemp)
  if ! mvn -B -q -f "$KV_ROOT/pom.xml" -pl "$list" -am package -DskipTests >"$log" 2>&1; then
    echo "kv: build failed; Maven said:" >&2
    tail -n 40 "$log" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}

# kv_run MODULE ARGS...: builds if needed, then replaces this shell with the program
kv_run() {
  local module=$1; shift
  kv_build "$module" || exit 1
  exec java $KV_JVM_OPTS ${KV_JAVA_OPTS:-} -jar "$(kv_jar "$module")" "$@"
}

# kv_servers FILE: prints "host port" for each server in a server file (ip port or ip:port;
# blank lines and # comments ignored). The broker validates the file properly; this is lenient.
kv_servers() {
  sed -e 's/#.*//' -e 's/:/ /' "$1" | awk 'NF >= 2 { print $1, $2 }'
}

# kv_data_name HOST PORT: a server's data folder name, as kvServer names its default one
# (HOST-PORT, characters other than letters, digits, '.', '_' and '-' such as IPv6 colons as '_')
kv_data_name() { local h=$1; echo "${h//[^A-Za-z0-9._-]/_}-$2"; }

# kv_port_open HOST PORT: true when something accepts connections there
kv_port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# --- Servers started in the background (bin/cluster and bin/quickstart share one layout) ---
# run/cluster/kvServer-IP-PORT.pid and .log, data in run/cluster/data/IP-PORT/ (kept until --fresh);
# strong mode's (KV_MODE=strong: kvServer --strong serverFile.txt) in run/cluster/strong/IP-PORT/, so
# the two modes never share a data directory (a server refuses the other mode's data anyway).
KV_RUN="$KV_ROOT/run/cluster"
KV_MODE=${KV_MODE:-eventual}

kv_pidfile() { echo "$KV_RUN/kvServer-$1-$2.pid"; }
kv_logfile() { echo "$KV_RUN/kvServer-$1-$2.log"; }
kv_datadir() {
  if [ "$KV_MODE" = strong ]; then echo "$KV_RUN/strong/$(kv_data_name "$1" "$2")"
  else echo "$KV_RUN/data/$(kv_data_name "$1" "$2")"; fi
}
# kv_datadir_rel HOST PORT: the same, relative to the repository root (for messages)
kv_datadir_rel() { local d; d=$(kv_datadir "$1" "$2"); echo "${d#$KV_ROOT/}"; }

# kv_pid_is_server PID PORT: true when PID is a live (not zombie) kvServer started with -p PORT,
# so a stale pid file, a pid reused by another program, or a process killed a moment ago (a
# zombie until its parent reaps it) never counts as running.
kv_pid_is_server() {
  local pid=$1 port=$2 state
  [ -r "/proc/$pid/stat" ] || return 1
  state=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "kvServer.jar .*-p $port\b"
}

# kv_server_pid HOST PORT: prints the pid of the running server of that address, if any.
kv_server_pid() {
  local f; f=$(kv_pidfile "$1" "$2")
  [ -f "$f" ] || return 1
  local pid; pid=$(cat "$f")
  kv_pid_is_server "$pid" "$2" && echo "$pid"
}

# kv_server_mode PID: prints strong or eventual, the mode the running server PID was started in
kv_server_mode() {
  if tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q -- ' --strong '; then echo strong; else echo eventual; fi
}

# kv_mode_clash HOST PORT: true (with a message) when the server of that address runs in the other
# mode than KV_MODE, so a launcher does not hand a strong broker eventual servers or the reverse
kv_mode_clash() {
  local pid mode
  pid=$(kv_server_pid "$1" "$2") || return 1
  mode=$(kv_server_mode "$pid")
  [ "$mode" = "$KV_MODE" ] && return 1
  echo "kv: $1:$2 runs in $mode mode (pid $pid); stop it first (bin/cluster stop) to run it in $KV_MODE mode" >&2
  return 0
}

# kv_server_start HOST PORT [kvServer flags...]: starts one server detached from this shell (no
# job-control messages, it outlives the script) with its data in the shared layout; with
# KV_MODE=strong, in strong mode over the server file KV_SERVER_FILE (absolute path).
kv_server_start() {
  local host=$1 port=$2; shift 2
  mkdir -p "$KV_RUN"
  if [ "$KV_MODE" = strong ]; then set -- --strong "$KV_SERVER_FILE" "$@"; fi
  ( setsid java $KV_JVM_OPTS ${KV_JAVA_OPTS:-} -jar "$(kv_jar kvServer)" -a "$host" -p "$port" \
      --data-dir "$(kv_datadir "$host" "$port")" "$@" >"$(kv_logfile "$host" "$port")" 2>&1 </dev/null &
    echo $! >"$(kv_pidfile "$host" "$port")" )
}

# kv_server_wait HOST PORT SECONDS: waits until the server answers; false (with its log's tail on
# standard error) if it exited or did not answer in time.
kv_server_wait() {
  local host=$1 port=$2 deadline=$((SECONDS + $3))
  until kv_port_open "$host" "$port"; do
    if ! kv_server_pid "$host" "$port" >/dev/null; then
      echo "kv: server $host:$port did not start; its log ($(kv_logfile "$host" "$port")) ends with:" >&2
      tail -n 5 "$(kv_logfile "$host" "$port")" >&2
      return 1
    fi
    [ $SECONDS -lt $deadline ] || { echo "kv: server $host:$port did not answer within $3 s" >&2; return 1; }
    sleep 0.1
  done
}

# kv_server_stop HOST PORT: SIGTERM, then SIGKILL after 10 s; true if it was running.
kv_server_stop() {
  local pid; pid=$(kv_server_pid "$1" "$2") || { rm -f "$(kv_pidfile "$1" "$2")"; return 1; }
  kill -TERM "$pid" 2>/dev/null
  local deadline=$((SECONDS + 10))
  while kv_pid_is_server "$pid" "$2" && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
  rm -f "$(kv_pidfile "$1" "$2")"
}
