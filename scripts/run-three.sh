#!/usr/bin/env bash
# Starts three instances of the hostsync sample on ports 8080, 8081 and 8082, all sharing the
# region /dev/shm/hostsync-sample, and stops them on Ctrl-C.
#
#   scripts/run-three.sh                                  build, then run
#   SKIP_BUILD=1 scripts/run-three.sh                     run the jar built last time
#   PORTS="9080 9081" scripts/run-three.sh                other ports (any number of instances)
#   scripts/run-three.sh --hostsync.directory=/tmp/hs     arguments given to every instance
#
# Logs: sample-app/target/run-three/<port>.log. Needs Java 17 or newer.
set -euo pipefail
cd "$(dirname "$0")/.."

ports=(${PORTS:-8080 8081 8082})
logs=sample-app/target/run-three

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "Building the sample (./mvnw -q -pl sample-app -am package -DskipTests)..."
  ./mvnw -q -pl sample-app -am package -DskipTests
fi
jar=$(ls sample-app/target/hostsync-sample-app-*.jar 2>/dev/null | grep -v -- '-plain\|sources\|tests' | head -n 1 || true)
if [ -z "$jar" ]; then
  echo "No sample jar in sample-app/target: run without SKIP_BUILD=1 to build it" >&2
  exit 1
fi

for port in "${ports[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is already in use: stop what listens there, or choose others with PORTS=\"9080 9081 9082\"" >&2
    exit 1
  fi
done

mkdir -p "$logs"
pids=()
stop() {
  trap - INT TERM EXIT
  if [ "${#pids[@]}" -gt 0 ]; then
    echo
    echo "Stopping ${pids[*]}..."
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap stop INT TERM EXIT

for port in "${ports[@]}"; do
  java -jar "$jar" --server.port="$port" "$@" >"$logs/$port.log" 2>&1 &
  pids+=("$!")
done

for i in "${!ports[@]}"; do
  port=${ports[$i]}
  for attempt in $(seq 1 120); do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "The instance on port $port stopped; its log ($logs/$port.log) ends with:" >&2
      tail -n 20 "$logs/$port.log" >&2
      exit 1
    fi
    if grep -q "Started HostsyncSampleApplication" "$logs/$port.log"; then
      break
    fi
    if [ "$attempt" = 120 ]; then
      echo "The instance on port $port did not start within 60 s; see $logs/$port.log" >&2
      exit 1
    fi
    sleep 0.5
  done
done

echo
echo "Three instances share one region. Open any status page; each shows the whole host:"
for i in "${!ports[@]}"; do
  echo "  http://localhost:${ports[$i]}/    (pid ${pids[$i]}, log $logs/${ports[$i]}.log)"
done
echo
echo "Try: curl localhost:${ports[0]}/quotes/ACME    kill -9 ${pids[-1]}    (then watch the page)"
echo "Ctrl-C stops them all."
wait
