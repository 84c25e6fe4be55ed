#!/usr/bin/env bash
# Two builds of the sample blog side by side: each hit configuration is measured with run.sh for the first
# jar, then at once for the second, alternating, and each hit's ratio to the ceiling in its own JVM is
# compared. The ratio (not the raw requests/s) is what compares across JVMs on a shared, noisy machine.
#
#   benchmarks/compare.sh /tmp/before.jar /tmp/after.jar
#   CONFIGS="near early" RUNS=3 CONNECTIONS=64 benchmarks/compare.sh old.jar new.jar
#   ROUNDS=3 CONFIGS=redis benchmarks/compare.sh old.jar new.jar   # before, after, before, after, ...
#
# With ROUNDS above 1 each configuration is measured before, after, before, after... and each side's ratio
# is the median of its rounds. Every other setting (RUNS, DURATION, CONNECTIONS, PAGES, WARMUP...) is passed
# on to run.sh. The edge rows (CONFIGS="varnish nginx-edge") compare each edge's hit with nginx serving the same
# bytes as static files, measured in turns with it, in place of a ceiling.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: $0 before.jar after.jar" >&2; exit 2; }
before=$1
after=$2
configs=${CONFIGS:-"redis near early memory"}
rounds=${ROUNDS:-1}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for config in $configs; do
	for round in $(seq "$rounds"); do
		for side in before after; do
			jar=$before
			[ $side = after ] && jar=$after
			echo "== $config, $side ($jar), round $round"
			name="$config-$side-$round"
			CONFIGS=$config JAR=$jar RESULTS="$out/$name.md" bash benchmarks/run.sh >"$out/$name.log" 2>&1 ||
				{ tail -n 30 "$out/$name.log" >&2; exit 1; }
			awk -F'|' 'NF == 10 && /^\| (hit|ceiling|nginx static \()/' "$out/$name.md" | sed "s/^/$side $round/" >>"$out/rows"
		done
	done
done

# rows: "<side>| label | page | connections | encoding | requests/s | ..."
echo
echo "| configuration | page | connections | encoding | before: hit / ceiling | after: hit / ceiling | after / before |"
echo "|---|---|---|---|---:|---:|---:|"
awk -F' *\\| *' '
	{ split($1, sr, " "); side = sr[1]; round = sr[2]; label = $2; key = $3 "|" $4 "|" $5; rps = $6
	  if (label ~ /^(ceiling|nginx static \()/) { ceiling[side, round, key, label] = rps; next }
	  hit[side, round, label, key] = rps
	  if (!((label, key) in seen)) { seen[label, key] = 1; order[++n] = label SUBSEP key } }
	END {
		for (i = 1; i <= n; i++) {
			split(order[i], p, SUBSEP); label = p[1]; key = p[2]
			for (s = 1; s <= 2; s++) {
				side = (s == 1) ? "before" : "after"; m = 0
				for (k in ceiling) {
					split(k, q, SUBSEP)
					if (q[1] == side && q[3] == key && ceilingOf(q[4], label) && hit[side, q[2], label, key] > 0)
						ratios[++m] = hit[side, q[2], label, key] / ceiling[k]
				}
				r[s] = median(ratios, m)
			}
			split(key, f, "|")
			printf "| %s | %s | %s | %s | %.3f | %.3f | %.3f |\n", label, f[1], f[2], f[3], r[1], r[2], (r[1] > 0) ? r[2] / r[1] : 0
		}
	}
	function median(a, m,    i, j, t) { # sorts a[1..m] in place
		if (m == 0) return 0
		for (i = 2; i <= m; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
	}
	function ceilingOf(ceilingLabel, hitLabel) { # each hit row has the ceiling of its own JVM
		if (hitLabel == "hit, Redis") return ceilingLabel ~ /Redis hit JVM/
		if (hitLabel == "hit, near cache") return ceilingLabel ~ /near cache JVM/
		if (hitLabel ~ /before Security/) return ceilingLabel ~ /before Security JVM/
		if (hitLabel ~ /memory store/) return ceilingLabel ~ /memory store JVM/
		if (hitLabel == "hit, Varnish") return ceilingLabel ~ /Varnish run/
		if (hitLabel == "hit, nginx proxy_cache") return ceilingLabel ~ /proxy_cache run/
		return 0
	}' "$out/rows"
