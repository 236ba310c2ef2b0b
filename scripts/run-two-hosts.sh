#!/usr/bin/env bash
# Runs the hostsync sample as two simulated hosts against one Redis, with the profile cohort
# (docs/scaling-out.md): host A on ports 8080 and 8081 (region directory /dev/shm/hostsync-host-a),
# host B on 8082 and 8083 (/dev/shm/hostsync-host-b). Instances sharing a directory are one host;
# POST /cluster/counter increments a counter in Redis under a cohort lock, exclusive across both.
# Starts a redis-server on a free port (append-only, synced at every write) and stops everything on
# Ctrl-C.
#
#   scripts/run-two-hosts.sh                          build, then run
#   SKIP_BUILD=1 scripts/run-two-hosts.sh             run the jar built last time
#   scripts/run-two-hosts.sh --demo                   fire DEMO_INCREMENTS (200) concurrent increments
#                                                     at all instances, check none was lost, then stop
#   DEMO=1 scripts/run-two-hosts.sh                   the same
#   REDIS_PORT=6379 scripts/run-two-hosts.sh          use the Redis already listening on localhost:6379
#   PER_HOST=3 FIRST_PORT=9080 scripts/run-two-hosts.sh   3 instances per host, ports 9080-9085
#   scripts/run-two-hosts.sh --hostsync.cohort.local-handoffs=4   arguments given to every instance
#
# Logs: sample-app/target/run-two-hosts/<port>.log and redis.log. Needs Java 17 or newer and,
# unless REDIS_PORT is given, redis-server (Debian: apt-get install redis-server).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/sample-instances.sh

demo=${DEMO:-0}
if [ "${1:-}" = "--demo" ]; then
  demo=1
  shift
fi
per_host=${PER_HOST:-2}
first_port=${FIRST_PORT:-8080}
increments=${DEMO_INCREMENTS:-200}
java_opts=(${JAVA_OPTS:--Xmx256m})
logs=sample-app/target/run-two-hosts
host_dirs=(/dev/shm/hostsync-host-a /dev/shm/hostsync-host-b)
host_names=(A B)

ports=()
for i in $(seq 0 $((2 * per_host - 1))); do
  ports+=($((first_port + i)))
done
require_free_ports FIRST_PORT=9080

redis_port=${REDIS_PORT:-}
if [ -z "$redis_port" ] && ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-server is not installed: install it with apt-get install redis-server" \
    "(or give REDIS_PORT=<port> of a Redis listening on localhost)" >&2
  exit 1
fi

sample_jar

mkdir -p "$logs" "${host_dirs[@]}"
pids=()
redis_pid=
redis_dir=
stop() {
  trap - INT TERM EXIT
  if [ "${#pids[@]}" -gt 0 ]; then
    echo
    echo "Stopping ${pids[*]}..."
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
  if [ -n "$redis_pid" ]; then
    echo "Stopping redis-server (pid $redis_pid)..."
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
  if [ -n "$redis_dir" ]; then
    rm -rf "$redis_dir"
  fi
}
trap stop INT TERM EXIT

if [ -z "$redis_port" ]; then
  redis_port=$((20000 + RANDOM % 20000))
  while listening "$redis_port"; do
    redis_port=$((20000 + RANDOM % 20000))
  done
  redis_dir=$(mktemp -d -t hostsync-redis-XXXXXX)
  # Append-only and synced at every write: a Redis restarted empty would let a second host in at once.
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly yes --appendfsync always \
    --dir "$redis_dir" --daemonize no >"$logs/redis.log" 2>&1 &
  redis_pid=$!
  for attempt in $(seq 1 100); do
    if listening "$redis_port"; then
      break
    fi
    if ! kill -0 "$redis_pid" 2>/dev/null || [ "$attempt" = 100 ]; then
      echo "redis-server did not start on port $redis_port; $logs/redis.log ends with:" >&2
      tail -n 20 "$logs/redis.log" >&2
      exit 1
    fi
    sleep 0.1
  done
elif ! listening "$redis_port"; then
  echo "Nothing listens on localhost:$redis_port (REDIS_PORT): start Redis there, or leave REDIS_PORT unset" >&2
  exit 1
fi

for i in "${!ports[@]}"; do
  port=${ports[$i]}
  java "${java_opts[@]}" -jar "$jar" --server.port="$port" --hostsync.directory="${host_dirs[$((i / per_host))]}" \
    --spring.profiles.active=cohort --spring.data.redis.host=127.0.0.1 --spring.data.redis.port="$redis_port" \
    "$@" >"$logs/$port.log" 2>&1 &
  pids+=("$!")
done

wait_until_started 120

echo
echo "Two hosts, one Redis (localhost:$redis_port). Each status page shows its host and the cluster counter:"
for i in "${!ports[@]}"; do
  host=$((i / per_host))
  echo "  host ${host_names[$host]} (${host_dirs[$host]}): http://localhost:${ports[$i]}/    (pid ${pids[$i]}, log $logs/${ports[$i]}.log)"
done
echo

counter() {
  curl -sf "localhost:$1/cluster/counter" | sed -n 's/.*"value":\([0-9]*\).*/\1/p'
}

if [ "$demo" = 1 ]; then
  command -v curl >/dev/null 2>&1 || { echo "The demo needs curl: apt-get install curl" >&2; exit 1; }
  before=$(counter "${ports[0]}")
  echo "Firing $increments increments, 16 at a time, at all ${#ports[@]} instances (counter before: $before)..."
  codes=$(for i in $(seq 1 "$increments"); do echo "${ports[$((i % ${#ports[@]}))]}"; done \
    | xargs -P 16 -I{} curl -s -o /dev/null -w '%{http_code}\n' -X POST "localhost:{}/cluster/counter")
  acknowledged=$(grep -c '^200$' <<<"$codes" || true)
  after=$(counter "${ports[${#ports[@]}-1]}")
  echo "Acknowledged: $acknowledged of $increments. Counter: $before -> $after."
  if [ "$((after - before))" = "$acknowledged" ]; then
    echo "No lost update: the counter grew by exactly the $acknowledged acknowledged increments."
    for port in "${ports[@]}"; do
      echo "  :$port $(curl -s "localhost:$port/api/status" | sed -n 's/.*"cluster":\({[^}]*}\).*/\1/p')"
    done
    exit 0
  fi
  echo "LOST UPDATES: the counter grew by $((after - before)), not $acknowledged" >&2
  exit 1
fi

echo "Try: curl -X POST localhost:${ports[0]}/cluster/counter    curl localhost:${ports[-1]}/cluster/counter"
echo "     kill -9 ${pids[0]}    (the others go on: a killed holder frees its share of the host lock)"
echo "Ctrl-C stops them all, and the redis-server it started."
wait
