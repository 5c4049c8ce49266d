# bench/lib/reference.sh: what the benchmarks that drive the reference service share. Sourced
# (not run) after the script has set BENCH, ROOT and its own say/die.
#
#   reference_setup         checks the build and finds Java 25; sets REF_JAR, LIB, JAVA, REF (the
#                           reference jar's command line)
#   free_port               prints a free loopback TCP port
#   start_reference_server WORK TRACES_PORT TOKENS
#                           starts the server in its own session, its stdin a FIFO held open on fd 3
#                           (closing fd 3 ends it), and waits up to 300 s for it to be ready; sets
#                           SERVER_PID and SPORT (its HTTP port)

reference_setup() {
  REF_JAR="$ROOT/reference-model/target/aiprof-reference.jar"
  LIB="$ROOT/agent/target/lib/libaiprof.so"
  [ -f "$REF_JAR" ] && [ -f "$ROOT/agent/target/aiprof.jar" ] && [ -f "$LIB" ] ||
    die "not built: run sudo ./aiprof setup"
  JAVA=""
  local j
  for j in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    if [ -x "$j/bin/java" ] && [ "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$j/release" 2>/dev/null || echo 0)" -ge 25 ]; then
      JAVA="$j/bin/java"
      break
    fi
  done
  [ -n "$JAVA" ] || die "no Java 25 found: set JAVA_HOME"
  REF=("$JAVA" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
    -XX:+UseSerialGC -Dslf4j.internal.verbosity=ERROR -Xmx1g -jar "$REF_JAR")
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start_reference_server() {
  local work=$1 port=$2 tokens=$3
  say "starting the reference server (model in $work/model)"
  mkfifo "$work/server.in"
  setsid "${REF[@]}" server --traces-endpoint "http://127.0.0.1:$port/v1/traces" \
    --model-dir "$work/model" --marker-library "$LIB" --max-tokens "$tokens" \
    <"$work/server.in" >"$work/server.out" 2>"$work/server.err" &
  SERVER_PID=$!
  exec 3>"$work/server.in"
  local _
  for _ in $(seq 600); do
    grep -q '^ready ' "$work/server.out" && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server failed: $(tail -5 "$work/server.err")"
    sleep 0.5
  done
  SPORT=$(sed -n 's/^ready //p' "$work/server.out")
  [ -n "$SPORT" ] || die "the server did not start in 300 s"
}
