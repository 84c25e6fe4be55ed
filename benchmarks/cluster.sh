#!/usr/bin/env bash
# What the Redis store's operations cost on one Redis server and on a Redis Cluster of three primaries with a
# replica each (started by the benchmark from redis-server processes on loopback), with the namespace in one
# shard and in the default 16, measured in turns in one run: a hit (one round trip), a miss (a lookup and a
# store: two), an invalidation (one per shard, sent at once); and how 10,000 pages spread over the primaries.
#
#   benchmarks/cluster.sh                 # 5 rounds of 2000 hits, 200 misses and 200 invalidations per store
#   ROUNDS=10 OPERATIONS=5000 benchmarks/cluster.sh
#
# Prints the table and writes it to the "Redis Cluster" section of benchmarks/RESULTS.md. The redis-server
# binary is the one the tests use (PAGECACHE_TEST_REDIS_SERVER: a path, or "embedded" for the embedded-redis
# artifact's Redis 6.2; redis-server on the PATH by default). The HTTP throughput of a hit from one server and
# from the cluster: CONFIGS="redis cluster" benchmarks/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
OPERATIONS=${OPERATIONS:-2000}
RESULTS=${RESULTS:-benchmarks/RESULTS.md}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

./mvnw -B -ntp -pl test-support,autoconfigure install -DskipTests -q
./mvnw -B -ntp -pl autoconfigure test -Dtest=ClusterCostBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
	-Dpagecache.benchmark=true -Dpagecache.benchmark.rounds="$ROUNDS" -Dpagecache.benchmark.operations="$OPERATIONS" \
	>"$log" 2>&1 || { tail -n 60 "$log" >&2; exit 1; }
grep -q "Tests run: 1, Failures: 0, Errors: 0, Skipped: 0" "$log" || { tail -n 60 "$log" >&2; exit 1; }

table=$(grep -E '^\|' "$log")
spread=$(grep '^Pages per primary' "$log")
cpu=$(grep '^Redis CPU time' "$log")
redis=${PAGECACHE_TEST_REDIS_SERVER:-$(redis-server --version 2>/dev/null | awk '{print $1, $2, $3}')}
section=$(
	echo "## Redis Cluster"
	echo
	echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $redis"
	echo "- Command: \`ROUNDS=$ROUNDS OPERATIONS=$OPERATIONS benchmarks/cluster.sh\` (latencies of one operation, seen by the caller, over all rounds)"
	echo
	echo "$table"
	echo
	echo "$cpu"
	echo
	echo "$spread"
)
echo "$section"
if grep -q '^## Redis Cluster$' "$RESULTS"; then
	# replace the section, up to the next one
	awk -v section="$section" '
		/^## Redis Cluster$/ { print section; skip = 1; next }
		skip && /^## / { skip = 0; print "" }
		!skip { print }
	' "$RESULTS" >"$RESULTS.new" && mv "$RESULTS.new" "$RESULTS"
else
	printf '\n%s\n' "$section" >>"$RESULTS"
fi
