#!/usr/bin/env bash
# Records the report's test fixture from a real run (root): starts `aiprof run` with the file
# exporter in a scratch directory and its OTLP/HTTP receiver on a free loopback port, runs the
# MiniInference workload (test sources) against it, stops the agent with SIGTERM once the phases
# have been described, and copies the traces-*.jsonl it wrote to
# src/test/resources/dev/aiprof/report/fixture/. Build first:
#   mvnh NAME -q test-compile -pl report -am && mvnh NAME -q package -pl agent -am -DskipTests
# Usage: report/record-fixture.sh [REQUESTS]   (from the repository root; default 8 requests;
# MVN="mvnh NAME" to resolve the test classpath with the wrapper, or pass it in
# REPORT_TEST_CLASSPATH)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REQUESTS=${1:-8}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
WORK=$(mktemp -d)
trap '[ -n "${AGENT:-}" ] && kill -TERM "$AGENT" 2>/dev/null; rm -rf "$WORK"' EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mvn_cp() { (cd "$ROOT" && ${MVN:-mvn -o} -q dependency:build-classpath -pl report -Dmdep.includeScope=test \
  -Dmdep.outputFile="$WORK/cp.txt" >/dev/null); cat "$WORK/cp.txt"; }
CP=${REPORT_TEST_CLASSPATH:-$(mvn_cp)}
"$ROOT/aiprof" run --no-prometheus --output-dir "$WORK/otlp" \
  --set otlp.http-address=127.0.0.1:"$PORT" --set otlp.grpc-address=off \
  --set marker.libraries="$ROOT/agent/target/lib/libaiprof.so" 2>"$WORK/agent.err" &
AGENT=$!
for _ in $(seq 300); do
  (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break
  sleep 0.1
done
"$JAVA" --enable-native-access=ALL-UNNAMED -cp "$ROOT/report/target/test-classes:$CP" \
  dev.aiprof.report.fixture.MiniInference "http://127.0.0.1:$PORT/v1/traces" \
  "$ROOT/agent/target/lib/libaiprof.so" "$REQUESTS" "$WORK/scratch" &
WORKLOAD=$!
wait "$WORKLOAD"
sleep 8 # the scheduler signal's patience (5 s) and the span batch delay (1 s)
kill -TERM "$AGENT"
wait "$AGENT" || { cat "$WORK/agent.err" >&2; exit 1; }
AGENT=
DEST="$ROOT/report/src/test/resources/dev/aiprof/report/fixture"
rm -rf "$DEST" && mkdir -p "$DEST"
# The agent is host-wide: keep only the workload's process (other processes on this host that
# map libaiprof.so are phases too, but not this fixture's).
for f in "$WORK"/otlp/traces-*.jsonl; do
  python3 - "$WORKLOAD" "$f" >"$DEST/$(basename "$f")" <<'PY'
import json, sys
pid = sys.argv[1]
for line in open(sys.argv[2]):
    req = json.loads(line)
    keep = [rs for rs in req["resourceSpans"]
            if any(a["key"] == "process.pid" and a["value"].get("intValue") == pid
                   for a in rs.get("resource", {}).get("attributes", []))]
    if keep:
        req["resourceSpans"] = keep
        print(json.dumps(req, separators=(",", ":")))
PY
done
ls -l "$DEST"
cat "$WORK/agent.err" >&2
