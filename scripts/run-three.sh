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
. scripts/sample-instances.sh

ports=(${PORTS:-8080 8081 8082})
logs=sample-app/target/run-three

sample_jar
require_free_ports 'PORTS="9080 9081 9082"'

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

wait_until_started 60

echo
echo "Three instances share one region. Open any status page; each shows the whole host:"
for i in "${!ports[@]}"; do
  echo "  http://localhost:${ports[$i]}/    (pid ${pids[$i]}, log $logs/${ports[$i]}.log)"
done
echo
echo "Try: curl localhost:${ports[0]}/quotes/ACME    kill -9 ${pids[-1]}    (then watch the page)"
echo "Ctrl-C stops them all."
wait
