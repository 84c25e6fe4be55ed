#!/usr/bin/env bash
# Where a hit's time goes: starts the sample blog, loads one page and its ceiling (the same bytes written from
# memory at pagecache's place in the filter chain, as in run.sh) with wrk on loopback, records each with Java
# Flight Recorder, and prints the share of the request threads' Java samples in each servlet filter and outside any
# (Tomcat's own work). JFR samples threads while they run Java code: time in system calls and in the kernel (socket
# writes, the poller's wait) is not in the shares. It answers "how much of a hit is pagecache's, how much the
# filters before it, how much the server", which the throughput figures of run.sh cannot.
#
#   benchmarks/profile.sh                                       # the starter's defaults (Redis store), page /
#   PAGE=/posts/1 CONNECTIONS=8 benchmarks/profile.sh
#   APP_ARGS="--pagecache.store=redis --management.observations.enable.http.server.requests=false" benchmarks/profile.sh
#
# Settings: APP_ARGS (the blog's arguments), PAGE, CONNECTIONS (64), ENCODING (gzip or identity), WARMUP (60s of load
# on each target first), DURATION (20s recorded per target), SETTINGS (JFR's settings: profile), JAR (built from this
# checkout if empty), KEEP (a folder that keeps the recordings). Needs wrk and redis-server; installs nothing. JFR's
# sampling costs some throughput while it records: the shares, not the requests/s, are the result.
set -euo pipefail
cd "$(dirname "$0")/.."

APP_ARGS=${APP_ARGS:-"--pagecache.store=redis"}
PAGE=${PAGE:-/}
CONNECTIONS=${CONNECTIONS:-64}
ENCODING=${ENCODING:-gzip}
WARMUP=${WARMUP:-60s}
DURATION=${DURATION:-20s}
APP_PORT=${APP_PORT:-18080}
REDIS_PORT=${REDIS_PORT:-16379}
JAR=${JAR:-}
KEEP=${KEEP:-}
SETTINGS=${SETTINGS:-profile}

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk (Debian)" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "redis-server is needed: apt-get install redis-server (Debian)" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

if [ -z "$JAR" ]; then
	./mvnw -B -q -ntp -pl sample-app -am package -DskipTests
	JAR=$(ls sample-app/target/pagecache-sample-blog-*.jar | grep -v plain | head -1)
fi

if (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null; then
	echo "Port $REDIS_PORT is taken: set REDIS_PORT to a free one" >&2
	exit 1
fi
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$work/redis.log" 2>&1 &
pids+=($!)
# a deep stack depth: Tomcat's and Spring's filter chains are deeper than JFR's default of 64 frames
# shellcheck disable=SC2086
java -Xms512m -Xmx512m -XX:FlightRecorderOptions=stackdepth=512 -jar "$JAR" --server.address=127.0.0.1 \
	--server.port="$APP_PORT" --spring.profiles.active=benchmark --spring.data.redis.port="$REDIS_PORT" \
	--logging.level.root=WARN $APP_ARGS >"$work/app.log" 2>&1 &
app=$!
pids+=("$app")
deadline=$((SECONDS + 120))
until curl -fs -o /dev/null "http://127.0.0.1:$APP_PORT/actuator/health"; do
	if [ $SECONDS -ge $deadline ] || ! kill -0 "$app" 2>/dev/null; then
		echo "The sample blog did not start:" >&2
		tail -n 40 "$work/app.log" >&2
		exit 1
	fi
	sleep 0.5
done

header=(-H "Accept-Encoding: $ENCODING")
echo "Sample blog: $APP_ARGS; $PAGE, $CONNECTIONS connections, $ENCODING; $(java -version 2>&1 | head -1)"
# JFR's first recording instruments JDK classes (socket and file events) and so throws away the compiled code of every
# path through them, a hit's included: one recording runs from before the warm-up to the end, and each measured one
# starts beside it, so that the code measured is the code warmed up
jcmd "$app" JFR.start name=warm settings="$SETTINGS" >/dev/null
for target in "$PAGE" "/ceiling$PAGE"; do
	url="http://127.0.0.1:$APP_PORT$target"
	curl -fs -o /dev/null "${header[@]}" "$url" || { echo "$url does not answer 200" >&2; exit 1; }
	wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "${header[@]}" "$url" >/dev/null
	recording="$work/$(tr -c 'a-zA-Z0-9\n' '_' <<<"$target").jfr"
	jcmd "$app" JFR.start name=hit settings="$SETTINGS" filename="$recording" >/dev/null
	wrk -t2 -c"$CONNECTIONS" -d"$DURATION" "${header[@]}" "$url" >"$work/wrk.txt"
	jcmd "$app" JFR.stop name=hit >/dev/null
	if grep -q "Non-2xx" "$work/wrk.txt"; then
		echo "$url answered errors under load: $(grep "Non-2xx" "$work/wrk.txt")" >&2
		exit 1
	fi
	rate=$(awk '/Requests\/sec/ {print int($2)}' "$work/wrk.txt")
	echo
	echo "$target ($rate req/s while recorded), the request threads' Java samples by the innermost filter on their stack:"
	java benchmarks/HitProfile.java "$recording"
	if [ -n "$KEEP" ]; then mkdir -p "$KEEP" && cp "$recording" "$KEEP/"; fi
done
