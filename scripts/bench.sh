#!/usr/bin/env bash
# hostsync's benchmark suite against the alternatives (docs/performance.md).
#
#   scripts/bench.sh full [options]     the whole suite (it prints its estimate; about 20 minutes on
#                                       2 cores), then the report: results section of
#                                       docs/performance.md and docs/images/perf-*.png
#   scripts/bench.sh smoke [options]    everything once, briefly (a few minutes): checks that it all
#                                       runs; its figures are not results
#   scripts/bench.sh report [FILE] [--section NAME]
#                                       the report again from saved JMH results, without running JMH
#                                       (default: the newest benchmarks/results/perf-*.json)
#
# Options of full and smoke: --results FILE, --section NAME (another section of the document, e.g.
# for a second JDK), and any JMH option: -e redisson (leave Redisson out), -p backend=robust,
# -p placement=free (no taskset), a regular expression of benchmarks.
# Another JDK: JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 scripts/bench.sh full --section jdk25
# Needs: Linux with /dev/shm, redis-server (Debian: apt-get install -y redis-server), taskset
# (util-linux). Run on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar=benchmarks/target/benchmarks.jar
mode="${1:-}"
[ $# -gt 0 ] && shift

build() {
  echo "Building $jar ..." >&2
  ./mvnw -q -B -pl benchmarks -am package -DskipTests
}

case "$mode" in
  full|smoke)
    build
    exec "$java" -Dhostsync.bench.command="scripts/bench.sh $mode${*:+ $*}" -cp "$jar" io.hostsync.benchmarks.Suite "$mode" "$@"
    ;;
  report)
    results=""
    if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then
      results="$1"
      shift
    else
      results=$(ls -t benchmarks/results/perf-*.json 2>/dev/null | grep -v '\.run\.json$' | head -n 1 || true)
      if [ -z "$results" ]; then
        echo "No results in benchmarks/results/: run scripts/bench.sh smoke or full first, or name a results file" >&2
        exit 2
      fi
    fi
    [ -f "$jar" ] || build
    exec "$java" -cp "$jar" io.hostsync.benchmarks.report.PerformanceReport "$results" "$@"
    ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
