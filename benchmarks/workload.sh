#!/usr/bin/env bash
# The workload benchmark: simulated blog traffic (reads skewed towards the home page and the newest posts,
# comments and admin edits in between) against the sample blog under three invalidation policies: precise
# (the starter's JPA integration), drop-all (every save clears the cache) and ttl-only (no invalidation).
# Prints hit ratio, readers' renders per write, refresh-ahead's renders per write (in the background, no
# reader waits for them), pages dropped per write, pages whose content really changed per write, and how
# many stale pages each policy served, and how stale.
#
#   benchmarks/workload.sh                               # 10,000 reads, one write per 50: a few minutes
#   READS=20000 READS_PER_WRITE=20 TTL=60s STORE=redis benchmarks/workload.sh
#
# Settings (environment): READS, READS_PER_WRITE, EDIT_SHARE (share of writes that are admin edits, 0.2),
# ZIPF_EXPONENT (1.0), POSTS (200), SEED (1), TTL (life of pages under ttl-only, 10s), STORE (memory or
# redis), POLICIES (precise,drop-all,ttl-only), GROUND_TRUTH (concurrent: the driver renders the pages a
# write may have changed beside the reads that follow it; sync: before them, as
# earlier runs did), PROPERTIES (more properties of the blog, name=value,name=value), WARM_START (1: with
# STORE=redis, the measured blog starts as after a deploy: a blog before it ran the same workload with the
# next seed on the same Redis; the measured one clears the cache and lets refresh-ahead warm it first).
#
# The blog runs in the benchmark's own JVM (the sample app's test class path, through Maven and Surefire),
# with an in-memory H2 database and, by default, the in-process page store; STORE=redis starts a
# redis-server of its own (from the PATH, else the test artifact's binary). It installs nothing. Results are
# also written to the "Workload benchmark" section of benchmarks/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

READS=${READS:-10000}
READS_PER_WRITE=${READS_PER_WRITE:-50}
EDIT_SHARE=${EDIT_SHARE:-0.2}
ZIPF_EXPONENT=${ZIPF_EXPONENT:-1.0}
POSTS=${POSTS:-200}
SEED=${SEED:-1}
TTL=${TTL:-10s}
STORE=${STORE:-memory}
POLICIES=${POLICIES:-precise,drop-all,ttl-only}
GROUND_TRUTH=${GROUND_TRUTH:-concurrent}
PROPERTIES=${PROPERTIES:-}
WARM_START=${WARM_START:-0}

mkdir -p sample-app/target
output="$PWD/sample-app/target/workload.md"
rm -f "$output"
echo "Building the sample blog and running the workload (precise, drop-all, ttl-only)..."
./mvnw -B -ntp -pl sample-app -am test -Dtest=WorkloadBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
	-Dworkload.reads="$READS" -Dworkload.reads-per-write="$READS_PER_WRITE" -Dworkload.edit-share="$EDIT_SHARE" \
	-Dworkload.zipf-exponent="$ZIPF_EXPONENT" -Dworkload.posts="$POSTS" -Dworkload.seed="$SEED" \
	-Dworkload.ttl="$TTL" -Dworkload.store="$STORE" -Dworkload.policies="$POLICIES" \
	-Dworkload.ground-truth="$GROUND_TRUTH" -Dworkload.properties="$PROPERTIES" \
	-Dworkload.warm-start="$([ "$WARM_START" = 1 ] && echo true || echo false)" \
	-Dworkload.output="$output" >"$PWD/sample-app/target/workload-build.log" 2>&1 \
	|| { tail -n 60 "$PWD/sample-app/target/workload-build.log" >&2; exit 1; }

section=$(mktemp)
trap 'rm -f "$section"' EXIT
{
	echo "# Workload benchmark"
	echo
	echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB; driver and blog in one JVM"
	echo "- Java: $(java -version 2>&1 | head -1)"
	echo "- Command: \`READS=$READS READS_PER_WRITE=$READS_PER_WRITE EDIT_SHARE=$EDIT_SHARE ZIPF_EXPONENT=$ZIPF_EXPONENT POSTS=$POSTS SEED=$SEED TTL=$TTL STORE=$STORE POLICIES=$POLICIES GROUND_TRUTH=$GROUND_TRUTH PROPERTIES=\"$PROPERTIES\" WARM_START=$WARM_START benchmarks/workload.sh\`"
	echo "- Reads: 25% home page, 60% posts (Zipf over the newest first), 10% categories, 5% authors; writes:"
	echo "  comments through the public form, title or body edits through the admin form, posts chosen like reads."
	echo "  One sequential client, over HTTP; the same seeded sequence for every policy. precise and drop-all keep"
	echo "  the default TTL (10 minutes, no page expires during the run)."
	echo "- Pages really changed: before each write, the pages the cache holds; after it, each rendered again"
	echo "  with the cache bypassed ($GROUND_TRUTH: $([ "$GROUND_TRUTH" = sync ] && echo "before the next read" \
		|| echo "beside the reads that follow, which are classified once the renders are known")) and compared"
	echo "  with its last content. Pages dropped: those the cache held before"
	echo "  the write and not after it (under ttl-only, pages whose TTL ended meanwhile). Renders per write: misses"
	echo "  other than a page's first render, per write. Stale read: a hit whose body is not the page's current"
	echo "  content; stale for: time since the write that changed it. Without first renders: hits among the reads"
	echo "  that were not a page's first render. Reads within 100 ms of a write: the latency of the reads that"
	echo "  began at most 100 ms after a write returned, when readers wait for the renders it made necessary."
	echo
	cat "$output"
} >"$section"

# Replace the section of an earlier run, keep every other section of the file.
results=benchmarks/RESULTS.md
touch "$results"
awk -v section="$section" '
	/^# Workload benchmark$/ { skipping = 1; while ((getline line < section) > 0) print line; print ""; next }
	skipping && /^# / { skipping = 0 }
	!skipping { print }
' "$results" >"$results.new"
if ! grep -q '^# Workload benchmark$' "$results"; then
	{ echo; cat "$section"; } >>"$results.new"
fi
mv "$results.new" "$results"
echo
cat "$section"
