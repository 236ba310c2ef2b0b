#!/usr/bin/env bash
# Smoke test of Spring's AOT processing, as far as it goes without GraalVM: processes the sample
# ahead of time (profile aot of sample-app: spring-boot-maven-plugin's process-aot), runs the
# processed jar on the JVM with -Dspring.aot.enabled=true, and checks that it started from the
# generated code and answers its status API and a quote (a @ReadGuarded method).
#
#   scripts/aot-smoke.sh                 build, then run
#   SKIP_BUILD=1 scripts/aot-smoke.sh    run the jar built last time with -Paot
#
# A random free port and a region directory of its own, so that it disturbs no other sample on
# the host. Logs: sample-app/target/aot-smoke.log. Needs Java 17 or newer.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v curl >/dev/null 2>&1 || { echo "The AOT smoke test needs curl (Debian package curl)" >&2; exit 1; }
log=sample-app/target/aot-smoke.log
timeout_seconds=${AOT_SMOKE_TIMEOUT:-90}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "Processing the sample ahead of time (./mvnw -B -q -Paot -pl sample-app -am package -DskipTests)..."
  ./mvnw -B -q -Paot -pl sample-app -am package -DskipTests
fi
if ! ls sample-app/target/spring-aot/main/sources/io/hostsync/sample/*__ApplicationContextInitializer.java >/dev/null 2>&1; then
  echo "process-aot wrote no ApplicationContextInitializer under sample-app/target/spring-aot: was the jar built with -Paot?" >&2
  exit 1
fi
jar=$(ls sample-app/target/hostsync-sample-app-*.jar 2>/dev/null | grep -v -- '-plain\|sources\|tests' | head -n 1 || true)
if [ -z "$jar" ]; then
  echo "No sample jar in sample-app/target: run without SKIP_BUILD=1 to build it" >&2
  exit 1
fi

regions=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$regions"
}
trap cleanup EXIT

java -Dspring.aot.enabled=true -jar "$jar" --server.port=0 --hostsync.directory="$regions" \
  --quotes.refresh.fetch-time=10ms >"$log" 2>&1 &
pid=$!

fail() {
  echo "AOT smoke test failed: $*" >&2
  echo "--- last lines of $log:" >&2
  tail -n 40 "$log" >&2
  exit 1
}

port=
for _ in $(seq 1 "$timeout_seconds"); do
  kill -0 "$pid" 2>/dev/null || fail "the AOT-processed sample exited"
  port=$(grep -o 'started on port [0-9]*' "$log" | head -n 1 | grep -o '[0-9]*$' || true)
  [ -n "$port" ] && break
  sleep 1
done
[ -n "$port" ] || fail "the AOT-processed sample did not start within ${timeout_seconds}s"

grep -q 'Starting AOT-processed' "$log" || fail "the sample did not start from the AOT-generated code (no 'Starting AOT-processed' line)"
status=$(curl -sf "http://127.0.0.1:$port/api/status") || fail "GET /api/status did not answer"
echo "$status" | grep -q '"prices"' || fail "GET /api/status has no prices: $status"
quote=$(curl -sf "http://127.0.0.1:$port/quotes/ACME") || fail "GET /quotes/ACME did not answer"
echo "$quote" | grep -q 'ACME' || fail "GET /quotes/ACME has no quote: $quote"
[ -e "$regions/hostsync-sample" ] || fail "the region sample was not opened in $regions"

echo "AOT smoke test passed: the AOT-processed sample started on port $port and answered /api/status and /quotes/ACME"
