#!/usr/bin/env bash
# Two builds of the sample blog side by side: each hit configuration is measured with run.sh for the first
# jar, then at once for the second, alternating, and each hit's ratio to the ceiling in its own JVM is
# compared. The ratio (not the raw requests/s) is what compares across JVMs on a shared, noisy machine.
#
#   benchmarks/compare.sh /tmp/before.jar /tmp/after.jar
#   CONFIGS="near early" RUNS=3 CONNECTIONS=64 benchmarks/compare.sh old.jar new.jar
#
# Every other setting (RUNS, DURATION, CONNECTIONS, PAGES, WARMUP...) is passed on to run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: $0 before.jar after.jar" >&2; exit 2; }
before=$1
after=$2
configs=${CONFIGS:-"redis near early memory"}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for config in $configs; do
	for side in before after; do
		jar=$before
		[ $side = after ] && jar=$after
		echo "== $config, $side ($jar)"
		CONFIGS=$config JAR=$jar RESULTS="$out/$config-$side.md" bash benchmarks/run.sh >"$out/$config-$side.log" 2>&1 ||
			{ tail -n 30 "$out/$config-$side.log" >&2; exit 1; }
		awk -F'|' 'NF == 10 && /^\| (hit|ceiling)/' "$out/$config-$side.md" | sed "s/^/$side/" >>"$out/rows"
	done
done

# rows: "<side>| label | page | connections | encoding | requests/s | ..."
echo
echo "| configuration | page | connections | encoding | before: hit / ceiling | after: hit / ceiling | after / before |"
echo "|---|---|---|---|---:|---:|---:|"
awk -F' *\\| *' '
	{ side = $1; label = $2; key = $3 "|" $4 "|" $5; rps = $6
	  if (label ~ /^ceiling/) { ceiling[side, key, label] = rps; next }
	  hit[side, label, key] = rps; if (!((label, key) in seen)) { seen[label, key] = 1; order[++n] = label SUBSEP key } }
	END {
		for (i = 1; i <= n; i++) {
			split(order[i], p, SUBSEP); label = p[1]; key = p[2]
			for (s = 1; s <= 2; s++) {
				side = (s == 1) ? "before" : "after"; r[s] = 0
				for (k in ceiling) { split(k, q, SUBSEP); if (q[1] == side && q[2] == key && ceilingOf(q[3], label)) r[s] = hit[side, label, key] / ceiling[k] }
			}
			split(key, f, "|")
			printf "| %s | %s | %s | %s | %.3f | %.3f | %.3f |\n", label, f[1], f[2], f[3], r[1], r[2], (r[1] > 0) ? r[2] / r[1] : 0
		}
	}
	function ceilingOf(ceilingLabel, hitLabel) { # each hit row has the ceiling of its own JVM
		if (hitLabel == "hit, Redis") return ceilingLabel ~ /Redis hit JVM/
		if (hitLabel == "hit, near cache") return ceilingLabel ~ /near cache JVM/
		if (hitLabel ~ /before Security/) return ceilingLabel ~ /before Security JVM/
		if (hitLabel ~ /memory store/) return ceilingLabel ~ /memory store JVM/
		return 0
	}' "$out/rows"
