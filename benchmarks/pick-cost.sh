#!/usr/bin/env bash
# Pick-cost suite: our balancing algorithms (benchmarks/target/benchmarks.jar, PickCostBenchmark) and the Java
# peers' pickers (benchmarks-peers/target/benchmarks-peers.jar, PeerPickCostBenchmark) in one run, with the same
# JMH settings, then the side-by-side table and the charts. See benchmarks/PICK-COST.md.
#
#   benchmarks/pick-cost.sh            full run: servers 2, 10, 100, 1000; 1 and 2 threads; ≈ 15 min on 2 cores
#   benchmarks/pick-cost.sh --short    servers 10 and 1000, short iterations; ≈ 4 min on 2 cores, build included
#   options: --rebuild (always rebuild both jars), --no-build (never build), --no-wait (do not wait for other
#            JMH runs to end), --ours-only / --peers-only (run one suite, keep the other's last JSON);
#            anything after -- goes to both JMH command lines (e.g. -- -p servers=10 -prof gc)
#
# Writes benchmarks/results/pick-cost-ours.json, pick-cost-peers.json (JMH JSON), pick-cost.md (the table, also
# printed), pick-cost.svg and load-imbalance.svg (via benchmarks/charts.py). Run from anywhere; paths are resolved
# from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=full build=auto wait=yes run_ours=yes run_peers=yes
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --short) mode=short ;;
    --full) mode=full ;;
    --rebuild) build=always ;;
    --no-build) build=never ;;
    --no-wait) wait=no ;;
    --ours-only) run_peers=no ;;
    --peers-only) run_ours=no ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

OURS_JAR=benchmarks/target/benchmarks.jar
PEERS_JAR=benchmarks-peers/target/benchmarks-peers.jar
RESULTS=benchmarks/results
mkdir -p "$RESULTS"

# A jar is stale when a source or pom it is built from is newer than it.
stale() { # jar dirs...
  local jar=$1; shift
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$@" -newer "$jar" -type f \( -name '*.java' -o -name 'pom.xml' -o -name '*.properties' \) \
    -print -quit 2>/dev/null)" ]
}

start=$(date +%s)
if [ "$build" != never ]; then
  if [ "$build" = always ] || { [ $run_ours = yes ] && stale "$OURS_JAR" pom.xml emulator-core/src benchmarks/src emulator-core/pom.xml benchmarks/pom.xml; }; then
    echo "== building $OURS_JAR"
    mvn -q -B -pl benchmarks -am package -Dmaven.test.skip=true
  fi
  if [ "$build" = always ] || { [ $run_peers = yes ] && stale "$PEERS_JAR" pom.xml benchmarks-peers/src benchmarks-peers/pom.xml; }; then
    echo "== building $PEERS_JAR (parent pom installed first: the module is outside the reactor)"
    mvn -q -B -N install
    mvn -q -B -f benchmarks-peers/pom.xml package -Dmaven.test.skip=true
  fi
fi

if [ $mode = short ]; then
  # 56 + 40 forks of ≈ 2.3 s each (1.3 s of iterations, the rest JVM and JMH start): ≈ 3.5 min. These pick
  # loops are compiled by C2 within the first tens of milliseconds, so one 400 ms warm-up iteration is enough;
  # three measured iterations (not two) keep JMH's error interval finite enough to read.
  jmh_opts=(-wi 1 -w 400ms -i 3 -r 300ms -f 1 -p servers=10,1000)
else
  # The classes' own settings: 1 fork, 2 × 500 ms warm-up, 5 × 500 ms measured, servers 2, 10, 100, 1000:
  # 112 + 80 forks of ≈ 4.7 s. For tighter figures add forks and iterations, e.g. -- -f 3 -i 10.
  jmh_opts=()
fi

# The machine may be shared: wait (up to 10 min) until no other JMH run is going, so two runs do not share cores.
wait_quiet() {
  [ $wait = yes ] || return 0
  local tries=0
  while pgrep -f 'benchmarks.jar|benchmarks-peers.jar|org.openjdk.jmh' >/dev/null; do
    if [ $tries -ge 20 ]; then
      echo "== another JMH run is still going after 10 min; running anyway (figures may be disturbed)" >&2
      return 0
    fi
    [ $tries -eq 0 ] && echo "== waiting for another JMH run to end (polling every 30 s)"
    tries=$((tries + 1))
    sleep 30
    waited=$((waited + 30))
  done
}
waited=0

echo "== mode $mode; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -n 1)"
built=$(date +%s)
if [ $run_ours = yes ]; then
  wait_quiet
  echo "== our algorithms: PickCostBenchmark"
  java -jar "$OURS_JAR" 'dev.webstack.benchmarks.pick.PickCostBenchmark' "${jmh_opts[@]}" "${extra[@]}" \
    -rf json -rff "$RESULTS/pick-cost-ours.json" > "$RESULTS/pick-cost-ours.log" 2>&1 \
    || { tail -n 40 "$RESULTS/pick-cost-ours.log"; exit 1; }
fi
if [ $run_peers = yes ]; then
  wait_quiet
  echo "== peers: PeerPickCostBenchmark"
  java -jar "$PEERS_JAR" 'dev.webstack.benchmarks.peers.PeerPickCostBenchmark' "${jmh_opts[@]}" "${extra[@]}" \
    -rf json -rff "$RESULTS/pick-cost-peers.json" > "$RESULTS/pick-cost-peers.log" 2>&1 \
    || { tail -n 40 "$RESULTS/pick-cost-peers.log"; exit 1; }
fi
end=$(date +%s)

total=$((end - start - waited))
python3 benchmarks/charts.py --mode "$mode" --wall-seconds $total --build-seconds $((built - start))
echo "== done in $total s (build $((built - start)) s, JMH $((end - built - waited)) s; waited for other runs" \
  "$waited s more); JMH logs in $RESULTS/pick-cost-{ours,peers}.log"
