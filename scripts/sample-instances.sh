# Shared by scripts/run-three.sh and scripts/run-two-hosts.sh (sourced, not run): building and
# finding the sample's jar, checking ports, and waiting for instances to start.

# True if something listens on 127.0.0.1:$1.
listening() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Builds the sample unless SKIP_BUILD=1, and sets jar to its executable jar.
sample_jar() {
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    echo "Building the sample (./mvnw -q -pl sample-app -am package -DskipTests)..."
    ./mvnw -q -pl sample-app -am package -DskipTests
  fi
  jar=$(ls sample-app/target/hostsync-sample-app-*.jar 2>/dev/null | grep -v -- '-plain\|sources\|tests' | head -n 1 || true)
  if [ -z "$jar" ]; then
    echo "No sample jar in sample-app/target: run without SKIP_BUILD=1 to build it" >&2
    exit 1
  fi
}

# Fails if one of the ports in the array ports is in use; $1 suggests other ports.
require_free_ports() {
  for port in "${ports[@]}"; do
    if listening "$port"; then
      echo "Port $port is already in use: stop what listens there, or choose others with $1" >&2
      exit 1
    fi
  done
}

# Waits until every instance (arrays ports and pids, logs in $logs/<port>.log) has started, for at
# most $1 seconds each; fails with the end of the log of one that stopped or did not start.
wait_until_started() {
  local attempts=$(($1 * 2))
  for i in "${!ports[@]}"; do
    local port=${ports[$i]}
    for attempt in $(seq 1 "$attempts"); do
      if ! kill -0 "${pids[$i]}" 2>/dev/null; then
        echo "The instance on port $port stopped; its log ($logs/$port.log) ends with:" >&2
        tail -n 20 "$logs/$port.log" >&2
        exit 1
      fi
      if grep -q "Started HostsyncSampleApplication" "$logs/$port.log"; then
        break
      fi
      if [ "$attempt" = "$attempts" ]; then
        echo "The instance on port $port did not start within $1 s; see $logs/$port.log" >&2
        exit 1
      fi
      sleep 0.5
    done
  done
}
