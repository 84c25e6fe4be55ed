#!/usr/bin/env bash
# The hit-path benchmark: starts the sample blog in each configuration, loads it with wrk on loopback and
# prints one table, every figure the median of several runs, measured side by side in one run.
#
#   benchmarks/run.sh                 # defaults: 3 runs of 5 s per figure, 8 and 64 connections
#   RUNS=5 DURATION=10s benchmarks/run.sh
#
# Each configuration is warmed up first, until its throughput stops rising: rounds of WARMUP (10s) over every
# page and both encodings, until three rounds in a row beat the best one by no more than 3%, or WARMUP_MAX (300 s) has
# passed. An uncached render takes minutes of load before the JIT compiler has made it fast on these cores.
# WARMUP_VERBOSE=1 prints every warm-up round.
#
#   CONFIGS="near early" benchmarks/run.sh    # only some configurations:
#                                             # default redis near early miss memory off nginx varnish nginx-edge
#   CONFIGS="redis nginx varnish nginx-edge" benchmarks/run.sh   # the edge rows and the rows they compare with
#   CONFIGS="redis cluster" benchmarks/run.sh   # a Redis hit from one server and from a six-node Redis Cluster
#   JAR=/tmp/old.jar RESULTS=/tmp/old.md benchmarks/run.sh   # a sample blog jar built elsewhere, results elsewhere
#
# benchmarks/compare.sh measures two builds of the sample blog side by side with this script.
# Needs wrk (Debian: apt-get install wrk) and, for the Redis rows, redis-server; nginx is optional (the static
# file row), and so is nginx's Lua module with the resty.redis client (the row of nginx serving the page from
# Redis; Debian: apt-get install libnginx-mod-http-lua lua-nginx-redis). The edge rows need redis-server and
# either varnishd with varnish-modules (xkey; Debian: apt-get install varnish varnish-modules) or nginx with the
# cache purge module (Debian: apt-get install nginx libnginx-mod-http-cache-purge); each is skipped with a
# message without them. It installs nothing. Results are also written to benchmarks/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-10s}
WARMUP_MAX=${WARMUP_MAX:-300} # seconds
CONNECTIONS=${CONNECTIONS:-"8 64"}
THREADS=${THREADS:-2}
APP_THREADS=${APP_THREADS:-} # Tomcat's worker threads (server.tomcat.threads.max); Tomcat's default if empty
PACE_MS=${PACE_MS:-1}       # the latency table: each of 8 connections waits this long between requests
PAGES=${PAGES:-"/ /posts/1"}
APP_PORT=${APP_PORT:-18080}
REDIS_PORT=${REDIS_PORT:-16379}
CLUSTER_PORT=${CLUSTER_PORT:-17001} # the cluster row's six nodes: this port and the five after it
NGINX_PORT=${NGINX_PORT:-18081}
LUA_NGINX_PORT=${LUA_NGINX_PORT:-18082}
VARNISH_PORT=${VARNISH_PORT:-18083}       # Varnish in front of the sample (the varnish row)
EDGE_NGINX_PORT=${EDGE_NGINX_PORT:-18084} # nginx proxy_cache in front of the sample (the nginx-edge row)
VARNISHD=${VARNISHD:-$(command -v varnishd || echo /usr/sbin/varnishd)}
VARNISH_PARAMS=${VARNISH_PARAMS:-}        # more varnishd arguments for the varnish row, e.g. "-p thread_pools=1"
VARNISH_LOG=${VARNISH_LOG:-off}           # off: Varnish logs no request to its shared memory log, as every nginx row has
                                          # access_log off; on: its default logging (varnishlog/varnishncsa see requests)
EDGE_TTL=${EDGE_TTL:-1h}                  # how long the edge rows' pages live (pagecache.default-ttl)
EDGE_WRITES=${EDGE_WRITES:-20}            # comments written through each edge after its row, timed until it shows them
EDGE_WRITE_PAGE=${EDGE_WRITE_PAGE:-/posts/1} # the post they are written on
NGINX_MODULES=${NGINX_MODULES:-/usr/lib/nginx/modules} # where ngx_http_lua_module.so is (Debian's place)
LUA_LIB_DIR=${LUA_LIB_DIR:-/usr/share/lua/5.1}         # where resty/redis.lua (or Debian's nginx/redis.lua) is
SECURITY_ORDER=-100 # Spring Security's filter order in the sample (spring.security.filter.order's default)
CONFIGS=${CONFIGS:-"default redis near early miss memory off nginx varnish nginx-edge"}
JAR=${JAR:-}         # the sample blog's jar; built from this checkout if empty
RESULTS=${RESULTS:-benchmarks/RESULTS.md}

wants() { [[ " $CONFIGS " == *" $1 "* ]]; } # whether a configuration is measured

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk (Debian) or see https://github.com/wg/wrk" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

stop_pid() { # stops a process this script started, and forgets it (its id may be reused later)
	local pid=$1 kept=() p
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	for p in "${pids[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
	pids=("${kept[@]}")
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; } # whether something accepts on that port
port_free() { # port, its variable's name, what needs it: stops the run if another process listens there
	if listening "$1"; then
		echo "Port $1 ($2) is taken by another process, so $3 cannot listen there: set $2 to a free port" >&2
		exit 1
	fi
}

if [ -n "$JAR" ]; then
	jar=$JAR
else
	echo "Building the sample blog..."
	./mvnw -B -q -ntp -pl sample-app -am package -DskipTests
	jar=$(ls sample-app/target/pagecache-sample-blog-*.jar | grep -v plain | head -1)
fi

redis_pid=""
if command -v redis-server >/dev/null; then
	port_free "$REDIS_PORT" REDIS_PORT redis-server
	redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$work/redis.log" 2>&1 &
	redis_pid=$!
	pids+=("$redis_pid")
else
	echo "redis-server not found: the Redis rows are skipped" >&2
fi

cluster_nodes=""
cluster_pids=()
start_cluster() { # six cluster nodes, joined by redis-cli --cluster create, three primaries with a replica each
	command -v redis-cli >/dev/null || { echo "redis-cli is needed for the cluster row" >&2; exit 1; }
	local i port nodes=()
	for i in 0 1 2 3 4 5; do
		port=$((CLUSTER_PORT + i))
		port_free "$port" CLUSTER_PORT "a Redis Cluster node"
		port_free "$((port + 10000))" CLUSTER_PORT "a Redis Cluster node's bus"
		mkdir -p "$work/cluster/$port"
		redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --cluster-enabled yes \
			--cluster-config-file "$work/cluster/$port/nodes.conf" --dir "$work/cluster/$port" \
			>"$work/cluster/$port/log" 2>&1 &
		cluster_pids+=($!)
		pids+=($!)
		nodes+=("127.0.0.1:$port")
	done
	for i in 0 1 2 3 4 5; do
		until redis-cli -p "$((CLUSTER_PORT + i))" ping >/dev/null 2>&1; do sleep 0.1; done
	done
	redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$work/cluster/create.log" 2>&1 || {
		cat "$work/cluster/create.log" >&2
		exit 1
	}
	until redis-cli -p "$CLUSTER_PORT" cluster info | grep -q cluster_state:ok; do sleep 0.1; done
	cluster_nodes=$(IFS=,; echo "${nodes[*]}")
}

stop_cluster() {
	local pid
	for pid in "${cluster_pids[@]}"; do stop_pid "$pid"; done
	cluster_pids=()
}

start_app() { # name, extra arguments...
	local name=$1
	app_name=$name
	shift
	port_free "$APP_PORT" APP_PORT "the sample blog"
	java -Xms512m -Xmx512m -jar "$jar" --server.address=127.0.0.1 --server.port="$APP_PORT" --spring.profiles.active=benchmark \
		--spring.data.redis.port="$REDIS_PORT" --logging.level.root=WARN ${APP_THREADS:+--server.tomcat.threads.max="$APP_THREADS"} \
		"$@" >"$work/$name.log" 2>&1 &
	app_pid=$!
	pids+=("$app_pid")
	local deadline=$((SECONDS + 120))
	until curl -fs -o /dev/null "http://127.0.0.1:$APP_PORT/actuator/health"; do
		if [ $SECONDS -ge $deadline ] || ! kill -0 "$app_pid" 2>/dev/null; then
			echo "The sample blog ($name) did not start:" >&2
			tail -n 40 "$work/$name.log" >&2
			exit 1
		fi
		sleep 0.5
	done
}

stop_app() { stop_pid "$app_pid"; }

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
median_of() { tr ' ' '\n' <<<"$1" | awk 'NF' | median; } # of a list separated by spaces

to_ms() { # wrk latency such as 812.00us, 1.20ms, 2.01s
	awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v} else if (v ~ /s$/) {sub(/s$/,"",v); print v*1000} else print v}'
}

rows=()
paced=()
warmups=()
declare -A served=() # requests wrk sent to each label's target, its first second of load included
count_served() { # label, wrk's output
	local n
	n=$(awk '/ requests in / {print $1}' <<<"$2")
	served[$1]=$((${served[$1]:-0} + ${n:-0}))
}
echo "function delay() return $PACE_MS end" >"$work/paced.lua" # wrk waits this many ms before each request
measure() { # connections, encoding, wrk script or "", page, then a label and a base URL per target, measured in turns
	local connections=$1 encoding=$2 script=$3 page=$4
	shift 4
	local header=() labels=() urls=()
	[ "$encoding" = gzip ] && header=(-H "Accept-Encoding: gzip")
	[ -n "$script" ] && header+=(-s "$script")
	while [ $# -gt 0 ]; do labels+=("$1"); urls+=("$2$page"); shift 2; done
	local rps=() p50=() p99=() errors=()
	local i out non2xx
	for i in "${!urls[@]}"; do
		out=$(wrk -t"$THREADS" -c"$connections" -d1s "${header[@]}" "${urls[$i]}" 2>&1) || true
		count_served "${labels[$i]}" "$out"
	done
	for _ in $(seq "$RUNS"); do
		for i in "${!urls[@]}"; do
			out=$(wrk -t"$THREADS" -c"$connections" -d"$DURATION" --latency "${header[@]}" "${urls[$i]}")
			count_served "${labels[$i]}" "$out"
			rps[$i]+="$(awk '/Requests\/sec/ {print $2}' <<<"$out") "
			p50[$i]+="$(awk '$1 == "50%" {print $2}' <<<"$out" | to_ms) "
			p99[$i]+="$(awk '$1 == "99%" {print $2}' <<<"$out" | to_ms) "
			non2xx=$(awk '/Non-2xx or 3xx responses/ {print $5}' <<<"$out")
			errors[$i]=$((${errors[$i]:-0} + ${non2xx:-0}))
		done
	done
	local r m n row
	for i in "${!urls[@]}"; do
		r=$(median_of "${rps[$i]}")
		m=$(median_of "${p50[$i]}")
		n=$(median_of "${p99[$i]}")
		row="${labels[$i]}|$page|$connections|$encoding|$r|$m|$n|${errors[$i]}"
		if [ -n "$script" ]; then paced+=("$row"); else rows+=("$row"); fi
		printf '  %-34s %-10s c=%-3s %-8s %10.0f req/s  p50 %6.2f ms  p99 %6.2f ms\n' "${labels[$i]}" "$page" "$connections" "$encoding" "$r" "$m" "$n"
	done
}

run_all() { # pairs of label and base URL (such as http://127.0.0.1:18080/ceiling), measured in turns
	local page c encoding
	for page in $PAGES; do
		for c in $CONNECTIONS; do
			for encoding in gzip identity; do
				measure "$c" "$encoding" "" "$page" "$@"
			done
		done
	done
}

run_paced() { # pairs of label and base URL: latency well below saturation, 8 connections each pausing PACE_MS
	local page
	for page in $PAGES; do
		measure 8 gzip "$work/paced.lua" "$page" "$@"
	done
}

warm() { # prefix[, base URL, name]: fill the cache, then load every page in both encodings until the throughput
	# stops rising; the app's own port and the app's name by default
	local prefix=$1 base=${2:-http://127.0.0.1:$APP_PORT} name=${3:-$app_name} best=0 flat=0 rate
	local start=$SECONDS deadline=$((SECONDS + WARMUP_MAX))
	for page in $PAGES; do
		for _ in 1 2 3; do curl -fs -o /dev/null "$base$prefix$page"; done
	done
	{
		echo "local paths = {"
		for page in $PAGES; do echo "  \"$prefix$page\","; done
		echo "}"
		cat <<'LUA'
local i = 0
request = function()
	i = i + 1
	local headers = {}
	if math.floor(i / #paths) % 2 == 0 then headers["Accept-Encoding"] = "gzip" end
	return wrk.format("GET", paths[i % #paths + 1], headers)
end
LUA
	} >"$work/warm.lua"
	while [ $flat -lt 3 ] && [ $SECONDS -lt $deadline ]; do
		rate=$(wrk -t"$THREADS" -c8 -d"$WARMUP" -s "$work/warm.lua" "$base" | awk '/^Requests\/sec/ {print $2}')
		if awk -v r="$rate" -v b="$best" 'BEGIN {exit !(r > b * 1.03)}'; then flat=0; else flat=$((flat + 1)); fi
		best=$(awk -v r="$rate" -v b="$best" 'BEGIN {print (r > b) ? r : b}')
		[ -n "${WARMUP_VERBOSE:-}" ] && echo "  warm-up round: $rate req/s"
	done
	local outcome
	outcome=$(printf '%s s, %.0f req/s over all pages and encodings%s' "$((SECONDS - start))" "$best" \
		"$([ $flat -lt 3 ] && echo ", still rising at WARMUP_MAX")")
	echo "  warmed up: $outcome"
	warmups+=("$name${prefix:+ $prefix}: $outcome")
}

app="http://127.0.0.1:$APP_PORT"
if [ -n "$redis_pid" ]; then
	# The starter as a new user gets it: the store is the only property set (the sample's own
	# application.properties chooses the in-process store; the starter's default is Redis).
	if wants default; then
	echo "Hit with the starter's defaults (Redis store), in turns with the ceiling in the same JVM:"
	start_app default --pagecache.store=redis
	warm ""
	warm "/ceiling"
	run_all "hit, default" "$app" "ceiling (default JVM)" "$app/ceiling"
	run_paced "hit, default" "$app" "ceiling (default JVM)" "$app/ceiling"
	stop_app
	fi

	if wants redis; then
	echo "Hit served from Redis (near cache off), in turns with the ceiling in the same JVM:"
	start_app redis --pagecache.store=redis --pagecache.redis.near-cache.enabled=false \
		--pagecache.filter.placement=after-security
	warm ""
	warm "/ceiling"
	run_all "hit, Redis" "$app" "ceiling (Redis hit JVM)" "$app/ceiling"
	run_paced "hit, Redis" "$app" "ceiling (Redis hit JVM)" "$app/ceiling"
	stop_app
	fi

	if wants near; then
	echo "Hit served from the near cache (in front of Redis), in turns with the ceiling in the same JVM:"
	start_app near --pagecache.store=redis --pagecache.redis.near-cache.enabled=true \
		--pagecache.filter.placement=after-security
	warm ""
	warm "/ceiling"
	run_all "hit, near cache" "$app" "ceiling (near cache JVM)" "$app/ceiling"
	run_paced "hit, near cache" "$app" "ceiling (near cache JVM)" "$app/ceiling"
	stop_app
	fi

	# A Redis Cluster of three primaries, each with a replica, on loopback; the namespace in its default 16
	# shards. Hits are served from Redis as in the redis row, so that the two rows compare a hit's round trip
	# to one server and to the cluster.
	if wants cluster; then
	echo "Hit served from a Redis Cluster (near cache off), in turns with the ceiling in the same JVM:"
	start_cluster
	start_app cluster --pagecache.store=redis --pagecache.redis.near-cache.enabled=false \
		--pagecache.filter.placement=after-security --spring.data.redis.cluster.nodes="$cluster_nodes"
	warm ""
	warm "/ceiling"
	run_all "hit, Redis Cluster" "$app" "ceiling (Redis Cluster hit JVM)" "$app/ceiling"
	run_paced "hit, Redis Cluster" "$app" "ceiling (Redis Cluster hit JVM)" "$app/ceiling"
	stop_app
	stop_cluster
	fi

	# pagecache.filter.placement=before-security: hits no longer pass Spring Security's filter chain (safe in the
	# sample: its cached pages are public, and requests with credentials bypass the cache). The ceiling moves
	# with the filter (BenchmarkConfiguration places it at the page cache filter's order).
	if wants early; then
	echo "Hit served from the near cache by a filter before Spring Security's, in turns with a ceiling there too:"
	start_app early --pagecache.store=redis --pagecache.redis.near-cache.enabled=true \
		--pagecache.filter.order=$((SECURITY_ORDER - 1)) --pagecache.filter.placement=before-security
	warm ""
	warm "/ceiling"
	run_all "hit, near cache, before Security" "$app" "ceiling (before Security JVM)" "$app/ceiling"
	run_paced "hit, near cache, before Security" "$app" "ceiling (before Security JVM)" "$app/ceiling"
	stop_app
	fi

	# Every request misses: each route may hold one page, which a request under another host name takes
	# first, so every measured request looks its page up, renders it, and has its store refused by put.lua.
	if wants miss; then
	echo "Miss on every request (Redis, no single flight): lookup, render, refused store:"
	start_app miss --pagecache.store=redis --pagecache.redis.namespace=miss --pagecache.redis.max-pages-per-route=1 \
		--pagecache.single-flight.enabled=false
	for page in $PAGES; do
		curl -fs -o /dev/null -H "Host: other.example" "http://127.0.0.1:$APP_PORT$page"
		curl -fs -o /dev/null -H "Host: other.example" "http://127.0.0.1:$APP_PORT$page"
		curl -fs -D - -o /dev/null "http://127.0.0.1:$APP_PORT$page" >"$work/miss-check"
		curl -fs -D - -o /dev/null "http://127.0.0.1:$APP_PORT$page" >"$work/miss-check"
		grep -qi "^X-Page-Cache: MISS" "$work/miss-check" || { echo "The miss row does not miss on $page" >&2; exit 1; }
	done
	warm ""
	run_all "miss (Redis)" "$app"
	stop_app
	fi
fi

if wants memory; then
	echo "Hit served from the in-process store, in turns with the ceiling in the same JVM:"
	start_app memory --pagecache.store=memory
	warm ""
	warm "/ceiling"
	run_all "hit, memory store" "$app" "ceiling (memory store JVM)" "$app/ceiling"
	run_paced "hit, memory store" "$app" "ceiling (memory store JVM)" "$app/ceiling"
	stop_app
fi

if wants off || wants nginx; then
	echo "Cache turned off (the uncached render):"
	start_app off --pagecache.enabled=false
	wants off && warm "" && run_all "cache off" "$app"
fi

page_file() { # page: where the nginx rows keep its bytes (identity; the gzip ones beside it, .gz)
	if [ "$1" = "/" ]; then echo "$work/www/index.html"; else echo "$work/www${1%/}"; fi
}

nginx_conf() { # name, main-context directives, http-context directives: the main configuration of an nginx row
	local dir=$work/nginx-$1
	mkdir -p "$dir"
	chmod a+x "$work" # nginx's workers (an unprivileged user when run as root) reach its files and cache
	cat >"$dir/nginx.conf" <<NGINX
$2
worker_processes auto; # as Debian's nginx.conf
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $dir;
	proxy_temp_path $dir;
	fastcgi_temp_path $dir;
	uwsgi_temp_path $dir;
	scgi_temp_path $dir;
$3
}
NGINX
}

launch_nginx() { # name, port, its variable's name: runs the configuration nginx_conf wrote, until it listens
	local dir=$work/nginx-$1
	port_free "$2" "$3" "nginx ($1)"
	nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' 2>>"$dir/error.log" &
	nginx_pid=$!
	pids+=("$nginx_pid")
	for _ in $(seq 100); do listening "$2" && return; kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
	echo "nginx ($1) does not listen on port $2:" >&2
	tail -n 20 "$dir/error.log" >&2
	exit 1
}

serves_pages() { # name, base URL, log file: every page answers 200 there, or the run stops
	for page in $PAGES; do
		for _ in $(seq 50); do curl -fs -o /dev/null "$2$page" && break; sleep 0.1; done
		if ! curl -fs -o /dev/null "$2$page"; then
			echo "$1 does not serve $page:" >&2
			tail -n 20 "$3" >&2
			exit 1
		fi
	done
}

start_nginx() { # name, port, main-context directives, http-context directives, server-context directives, the
	# port's variable's name
	nginx_conf "$1" "$3" "$4
	server {
		listen 127.0.0.1:$2;
$5
	}"
	launch_nginx "$1" "$2" "$6"
	serves_pages "nginx ($1)" "http://127.0.0.1:$2" "$work/nginx-$1/error.log"
}

stop_nginx() { stop_pid "$nginx_pid"; }

static_pages() { # base URL: the bytes of every page there, for nginx to serve as static files (once per run)
	[ -d "$work/www" ] && return
	local page file
	for page in $PAGES; do
		file=$(page_file "$page")
		mkdir -p "$(dirname "$file")"
		curl -fs -D "$file.headers" -o "$file" "$1$page"
		gzip -k -6 "$file"
	done
	chmod -R a+rX "$work/www"
}

start_static_nginx() { # name: nginx serving the pages static_pages saved, on NGINX_PORT
	start_nginx "$1" "$NGINX_PORT" "" "	default_type text/html;
	gzip_static on;" "		root $work/www;
		location / { try_files \$uri \$uri/index.html =404; }" NGINX_PORT
}

if ! wants nginx; then
	wants off && stop_app
elif command -v nginx >/dev/null; then
	echo "nginx serving the same bytes as static files:"
	static_pages "$app"
	stop_app
	content_types="" # a Lua table of each page's Content-Type, for the Lua row
	for page in $PAGES; do
		file=$(page_file "$page")
		content_types+="[\"$page\"] = \"$(awk -F': *' 'tolower($1) == "content-type" {sub(/\r$/, "", $2); print $2}' "$file.headers")\", "
	done
	start_static_nginx static
	run_all "nginx static file" "http://127.0.0.1:$NGINX_PORT"
	stop_nginx

	# The page cache of old Django write-ups, with Redis for memcached: nginx looks the page up in the store
	# itself (here one GET of the bytes the static row serves, under keys of this benchmark's own) and would
	# only fall through to the app on a miss (here a 502: every request hits).
	redis_client=""
	for client in resty/redis nginx/redis; do # Debian's lua-nginx-redis installs resty.redis as nginx.redis
		[ -f "$LUA_LIB_DIR/$client.lua" ] && { redis_client=${client/\//.}; break; }
	done
	if [ -z "$redis_pid" ] || ! command -v redis-cli >/dev/null; then
		echo "redis-server or redis-cli not found: the nginx from Redis (Lua) row is skipped" >&2
	elif [ ! -f "$NGINX_MODULES/ngx_http_lua_module.so" ]; then
		echo "nginx's Lua module not found in $NGINX_MODULES (Debian: apt-get install libnginx-mod-http-lua):" \
			"the nginx from Redis (Lua) row is skipped" >&2
	elif [ -z "$redis_client" ]; then
		echo "resty.redis not found in $LUA_LIB_DIR (Debian: apt-get install lua-nginx-redis):" \
			"the nginx from Redis (Lua) row is skipped" >&2
	else
		echo "nginx serving the same bytes from Redis through Lua:"
		for page in $PAGES; do
			file=$(page_file "$page")
			redis-cli -p "$REDIS_PORT" -x SETEX "bench:lua:gzip:$page" 3600 <"$file.gz" >/dev/null
			redis-cli -p "$REDIS_PORT" -x SETEX "bench:lua:identity:$page" 3600 <"$file" >/dev/null
		done
		modules=""
		# Debian's Lua module is built with the Nginx Development Kit, which has to be loaded first
		[ -f "$NGINX_MODULES/ndk_http_module.so" ] && modules="load_module $NGINX_MODULES/ndk_http_module.so;"
		start_nginx lua "$LUA_NGINX_PORT" "$modules
load_module $NGINX_MODULES/ngx_http_lua_module.so;" "	lua_package_path \"$LUA_LIB_DIR/?.lua;;\";" "$(cat <<LUA
		location / {
			content_by_lua_block {
				local content_types = { $content_types}
				local gzip = (ngx.var.http_accept_encoding or ""):find("gzip", 1, true)
				local red = require("$redis_client"):new()
				red:set_timeout(1000)
				local ok, err = red:connect("127.0.0.1", $REDIS_PORT)
				if not ok then
					ngx.log(ngx.ERR, "Redis: ", err)
					return ngx.exit(502)
				end
				local page
				page, err = red:get((gzip and "bench:lua:gzip:" or "bench:lua:identity:") .. ngx.var.uri)
				if not page then
					ngx.log(ngx.ERR, "Redis: ", err)
					return ngx.exit(502)
				end
				red:set_keepalive(60000, 128)
				if page == ngx.null then
					return ngx.exit(502)
				end
				ngx.header["Content-Type"] = content_types[ngx.var.uri]
				if gzip then
					ngx.header["Content-Encoding"] = "gzip"
				end
				ngx.header["Vary"] = "Accept-Encoding"
				ngx.header["Content-Length"] = #page
				ngx.print(page)
			}
		}
LUA
)" LUA_NGINX_PORT
		for page in $PAGES; do
			file=$(page_file "$page")
			curl -fs -H "Accept-Encoding: gzip" -o "$work/lua-check" "http://127.0.0.1:$LUA_NGINX_PORT$page"
			cmp -s "$work/lua-check" "$file.gz" || { echo "nginx (Lua) does not serve the gzip bytes of $page" >&2; exit 1; }
			curl -fs -o "$work/lua-check" "http://127.0.0.1:$LUA_NGINX_PORT$page"
			cmp -s "$work/lua-check" "$file" || { echo "nginx (Lua) does not serve the bytes of $page" >&2; exit 1; }
		done
		run_all "nginx from Redis (Lua)" "http://127.0.0.1:$LUA_NGINX_PORT"
		stop_nginx
	fi
else
	stop_app
	echo "nginx not found: the static file and nginx from Redis (Lua) rows are skipped" >&2
fi

# The edge: the sample blog (the Redis store, a namespace of its own) behind Varnish running the shipped VCL, and
# behind nginx running the shipped proxy_cache configuration, each a copy with only its ports changed, as the
# tests run them (VarnishProcess, NginxProcess). wrk loads the edge, in turns with nginx serving the same bytes
# as static files. Before and after the measurement every page must come from the edge's cache (X-Cache: HIT) in
# both encodings, or the run stops; the sample's own count of page requests shows how many of wrk's requests
# the edge let through meanwhile. The pages live EDGE_TTL in pagecache's store, and so at the edge: one that
# expired during the measurement would time a render, not the edge. After the row, EDGE_WRITES comments are
# written through the edge on EDGE_WRITE_PAGE, each timed from sending it until a read through the edge shows it
# (issue 17's latency from a write's commit to the edge serving the new page); pagecache purges the edge before
# the write's response, so a read that does not show it counts as stale.
edge_notes=()
edge_writes=()

edge_copy() { # shipped file, copy, then pairs of a text of the shipped file and its replacement in the copy
	local shipped=$1 copy=$2 text
	text=$(<"$shipped")
	shift 2
	while [ $# -gt 0 ]; do
		if [[ $text != *"$1"* ]]; then
			echo "$shipped has no '$1' to replace" >&2
			exit 1
		fi
		text=${text//"$1"/"$2"}
		shift 2
	done
	printf '%s\n' "$text" >"$copy"
}

app_requests() { # the page requests the sample blog has answered: the hits, misses and bypasses of its totals
	curl -fs "$app/actuator/pagecache" | awk -v RS=',' '
		match($0, /"(hits|misses|bypasses)":[0-9]+/) {
			split(substr($0, RSTART + 1, RLENGTH - 1), f, "\":")
			if (!(f[1] in seen)) { seen[f[1]] = 1; n += f[2] } # the first ones are the totals
		}
		END { print n + 0 }'
}

edge_serves_hits() { # name, base URL: every page, in both encodings, comes from the edge's cache, or the run stops
	local page encoding header headers
	for page in $PAGES; do
		for encoding in gzip identity; do
			header=()
			if [ "$encoding" = gzip ]; then header=(-H "Accept-Encoding: gzip"); fi
			if ! headers=$(curl -fsS -D - -o /dev/null "${header[@]}" "$2$page"); then
				echo "$1 does not answer $page ($encoding)" >&2
				exit 1
			fi
			if ! grep -qi '^X-Cache: HIT' <<<"$headers"; then
				echo "$1 does not serve $page ($encoding) from its cache, so its row would not measure the edge." \
					"Its response:" >&2
				echo "$headers" >&2
				exit 1
			fi
		done
	done
}

run_edge() { # name, short name, base URL: the edge's hits, in turns with nginx serving the same bytes as static
	# files
	local name=$1 short=$2 edge=$3 static_pid="" before after through
	local targets=("hit, $name" "$edge")
	serves_pages "$name" "$edge" "$work/$app_name.log"
	warm "" "$edge" "$app_name, through $name"
	edge_serves_hits "$name" "$edge"
	if command -v nginx >/dev/null; then
		static_pages "$app"
		start_static_nginx "$app_name-static"
		static_pid=$nginx_pid
		targets+=("nginx static ($short run)" "http://127.0.0.1:$NGINX_PORT")
	else
		echo "nginx not found: $name is measured without nginx serving static files in turns" >&2
	fi
	before=$(app_requests)
	run_all "${targets[@]}"
	run_paced "${targets[@]}"
	after=$(app_requests)
	edge_serves_hits "$name" "$edge"
	if [ -n "$static_pid" ]; then stop_pid "$static_pid"; fi
	through=$((after - before))
	edge_notes+=("$name: $through of ${served["hit, $name"]} requests reached the sample blog, the others were served from the edge's cache")
	if [ $((through * 100)) -gt "${served["hit, $name"]}" ]; then
		echo "WARNING: $through of ${served["hit, $name"]} requests passed $name to reach the sample blog: its row measures more than the edge" >&2
	fi
	commit_to_edge "$name" "$edge"
}

now_us() { echo "${EPOCHREALTIME//[.,]/}"; } # microseconds, without a process

commit_to_edge() { # name, base URL: how long after a write the edge serves the page it changed
	local name=$1 edge=$2 page=$EDGE_WRITE_PAGE i marker start posted code reads stale=0 total="" write=""
	[ "$EDGE_WRITES" -gt 0 ] || return 0
	for i in $(seq "$EDGE_WRITES"); do
		curl -fs -o /dev/null "$edge$page" && curl -fs -o /dev/null "$edge$page" # the page at the edge first
		marker="edge-write-$i-$RANDOM$RANDOM"
		start=$(now_us)
		code=$(curl -s -o /dev/null -w '%{http_code}' -H "Sec-Fetch-Site: same-origin" \
			--data-urlencode "author=Benchmark" --data-urlencode "body=$marker" "$edge$page/comments")
		posted=$(now_us)
		if [ "$code" != 303 ]; then
			echo "A comment written through $name on $page was answered $code, not 303" >&2
			exit 1
		fi
		reads=0
		until curl -fs -o "$work/edge-page" "$edge$page" && grep -q "$marker" "$work/edge-page"; do
			reads=$((reads + 1))
			if [ $reads -ge 1000 ]; then
				echo "$name still serves $page without the comment written $reads reads ago" >&2
				exit 1
			fi
		done
		total+="$((($(now_us) - start) / 1000)) "
		write+="$(((posted - start) / 1000)) "
		stale=$((stale + reads))
	done
	edge_writes+=("$name: median $(median_of "$total") ms, max $(tr ' ' '\n' <<<"$total" | sort -n | tail -1) ms (the write's own response, its purge included: median $(median_of "$write") ms); stale reads: $stale")
	echo "  $name: a write through it is served by it, median $(median_of "$total") ms after it was sent; $stale stale reads"
	if [ "$stale" -gt 0 ]; then
		echo "WARNING: $name served $page without a comment already written $stale times: a purge came late" >&2
	fi
}

edge_app() { # name, arguments: the sample blog behind an edge, its pages in a Redis namespace of its own
	local name=$1
	shift
	start_app "$name" --pagecache.store=redis --pagecache.redis.namespace="bench-$name" \
		--pagecache.default-ttl="$EDGE_TTL" --pagecache.edge.enabled=true "$@"
}

if wants varnish; then
	if [ -z "$redis_pid" ]; then
		echo "redis-server not found: the Varnish row is skipped" >&2
	elif ! command -v "$VARNISHD" >/dev/null; then
		echo "varnishd not found (Debian: apt-get install varnish varnish-modules): the Varnish row is skipped" >&2
	elif ! "$VARNISHD" -C -j none -n "$work/varnish-check" -f "$PWD/edge/varnish/pagecache.vcl" \
		>/dev/null 2>"$work/varnish-check.log" && grep -q "Could not find VMOD" "$work/varnish-check.log"; then
		echo "$(grep -m1 "Could not find VMOD" "$work/varnish-check.log") (Debian: apt-get install varnish-modules):" \
			"the Varnish row is skipped" >&2
	else
		echo "Hit served by Varnish (edge/varnish/pagecache.vcl) in front of the sample blog, in turns with nginx" \
			"serving the same bytes as static files:"
		mkdir -p "$work/varnish"
		edge_copy edge/varnish/pagecache.vcl "$work/varnish/pagecache.vcl" '.port = "8080";' ".port = \"$APP_PORT\";"
		port_free "$VARNISH_PORT" VARNISH_PORT Varnish
		# started before the blog, so that the purges of its start (it seeds its posts) reach it
		varnish_log=()
		if [ "$VARNISH_LOG" = off ]; then # the records of each request and fetch; errors and notices stay
			varnish_log=(-p "vsl_mask=$(printf -- '-%s,' Begin End Link Timestamp SessOpen SessClose ReqStart ReqMethod \
				ReqURL ReqProtocol ReqHeader ReqUnset RespProtocol RespStatus RespReason RespHeader RespUnset VCL_call \
				VCL_return VCL_use VCL_acl Hit HitMiss HitPass ReqAcct Storage Filters Length TTL Gzip BereqMethod \
				BereqURL BereqProtocol BereqHeader BereqUnset BerespProtocol BerespStatus BerespReason BerespHeader \
				BerespUnset BereqAcct Fetch_Body BackendOpen BackendClose BackendReuse BackendStart | sed 's/,$//')")
		fi
		"$VARNISHD" -F -j none -a "127.0.0.1:$VARNISH_PORT" -f "$work/varnish/pagecache.vcl" -n "$work/varnish/instance" \
			-s malloc,256m "${varnish_log[@]}" $VARNISH_PARAMS >"$work/varnish/varnishd.log" 2>&1 &
		varnish_pid=$!
		pids+=("$varnish_pid")
		for _ in $(seq 300); do
			listening "$VARNISH_PORT" && break
			kill -0 "$varnish_pid" 2>/dev/null || break
			sleep 0.1
		done
		if ! listening "$VARNISH_PORT"; then
			echo "varnishd does not listen on port $VARNISH_PORT:" >&2
			tail -n 20 "$work/varnish/varnishd.log" >&2
			exit 1
		fi
		edge_app varnish --pagecache.edge.tag-header=xkey --pagecache.edge.varnish.endpoints="http://127.0.0.1:$VARNISH_PORT"
		run_edge Varnish Varnish "http://127.0.0.1:$VARNISH_PORT"
		stop_app
		stop_pid "$varnish_pid"
	fi
fi

if wants nginx-edge; then
	if [ -z "$redis_pid" ]; then
		echo "redis-server not found: the nginx proxy_cache row is skipped" >&2
	elif ! command -v nginx >/dev/null || [ ! -f "$NGINX_MODULES/ngx_http_cache_purge_module.so" ]; then
		echo "nginx or its cache purge module ($NGINX_MODULES/ngx_http_cache_purge_module.so) not found (Debian: apt-get" \
			"install nginx libnginx-mod-http-cache-purge): the nginx proxy_cache row is skipped" >&2
	else
		echo "Hit served by nginx's proxy_cache (edge/nginx/pagecache.conf) in front of the sample blog, in turns with" \
			"nginx serving the same bytes as static files:"
		dir=$work/nginx-edge
		mkdir -p "$dir"
		edge_copy edge/nginx/pagecache.conf "$dir/pagecache.conf" "listen 8000;" "listen 127.0.0.1:$EDGE_NGINX_PORT;" \
			"server 127.0.0.1:8080;" "server 127.0.0.1:$APP_PORT;" "/var/cache/nginx/pagecache" "$dir/cache"
		nginx_conf edge "load_module $NGINX_MODULES/ngx_http_cache_purge_module.so;" "	include $dir/pagecache.conf;"
		# started before the blog, so that the purges of its start (it seeds its posts) reach it
		launch_nginx edge "$EDGE_NGINX_PORT" EDGE_NGINX_PORT
		edge_nginx_pid=$nginx_pid
		edge_app nginx-edge --pagecache.edge.tag-header=none --pagecache.edge.nginx.endpoints="http://127.0.0.1:$EDGE_NGINX_PORT"
		run_edge "nginx proxy_cache" proxy_cache "http://127.0.0.1:$EDGE_NGINX_PORT"
		stop_app
		stop_pid "$edge_nginx_pid"
	fi
fi

ratio_table() { # columns, each "heading:numerator's label:denominator's label"; a ratio of the rows' requests/s
	local header="| page | connections | encoding |" rule="|---|---|---|" column
	for column in "$@"; do header+=" ${column%%:*} |"; rule+="---:|"; done
	echo "$header"
	echo "$rule"
	printf '%s\n' "${rows[@]}" | awk -F'|' -v columns="$(IFS=';'; echo "$*")" '
		{ key = $2 "|" $3 "|" $4; rps[$1, key] = $5; if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
		END {
			m = split(columns, column, ";")
			for (i = 1; i <= n; i++) {
				split(order[i], f, "|")
				line = "| " f[1] " | " f[2] " | " f[3] " |"
				for (j = 1; j <= m; j++) {
					split(column[j], c, ":")
					a = rps[c[2], order[i]]; b = rps[c[3], order[i]]
					line = line " " ((a > 0 && b > 0) ? sprintf("%.2fx", a / b) : "n/a") " |"
				}
				print line
			}
		}'
}

{
	echo "# Hit-path benchmark"
	echo
	echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB; load generator on the same cores"
	echo "- Java: $(java -version 2>&1 | head -1)"
	echo "- Command: \`RUNS=$RUNS DURATION=$DURATION CONNECTIONS=\"$CONNECTIONS\" CONFIGS=\"$CONFIGS\" benchmarks/run.sh\` (wrk -t$THREADS, keep-alive, loopback)"
	[ -n "$JAR" ] && echo "- Jar: $JAR"
	echo "- Each figure is the median of $RUNS runs of $DURATION; p50 and p99 are wrk's latency percentiles;"
	echo "  non-2xx counts the responses that were not 2xx or 3xx over all runs (any other than 0 spoils the row)."
	echo "- Warm-up, until the throughput stopped rising (rounds of $WARMUP over all pages, at most ${WARMUP_MAX} s):"
	printf '  - %s\n' "${warmups[@]}"
	if [ ${#edge_notes[@]} -gt 0 ]; then
		echo "- The edge rows: the sample blog behind the shipped edge/varnish/pagecache.vcl and edge/nginx/pagecache.conf"
		echo "  (pages living $EDGE_TTL), every page an edge hit (X-Cache: HIT) before and after the measurement; meanwhile"
		printf '  - %s\n' "${edge_notes[@]}"
	fi
	if [ ${#edge_writes[@]} -gt 0 ]; then
		echo "- From a write to the edge serving it: $EDGE_WRITES comments written through each edge on $EDGE_WRITE_PAGE after its"
		echo "  row, each timed from sending it to the first read through the edge that shows it (rendered anew):"
		printf '  - %s\n' "${edge_writes[@]}"
	fi
	echo
	echo "| configuration | page | connections | encoding | requests/s | p50 ms | p99 ms | non-2xx |"
	echo "|---|---|---|---|---:|---:|---:|---:|"
	for row in "${rows[@]}"; do
		IFS='|' read -r label page c enc r m n e <<<"$row"
		printf '| %s | %s | %s | %s | %.0f | %.2f | %.2f | %s |\n' "$label" "$page" "$c" "$enc" "$r" "$m" "$n" "$e"
	done
	echo
	echo "Ratios of requests/s, from the medians above (same page, connections and encoding). Each hit against"
	echo "the ceiling in its own JVM, measured in turns with it:"
	echo
	ratio_table "default hit / ceiling:hit, default:ceiling (default JVM)" \
		"near hit / ceiling:hit, near cache:ceiling (near cache JVM)" \
		"Redis hit / ceiling:hit, Redis:ceiling (Redis hit JVM)" \
		"Redis Cluster hit / ceiling:hit, Redis Cluster:ceiling (Redis Cluster hit JVM)" \
		"memory hit / ceiling:hit, memory store:ceiling (memory store JVM)" \
		"near hit before Security / ceiling there:hit, near cache, before Security:ceiling (before Security JVM)"
	echo
	echo "A hit from a Redis Cluster (six nodes, 16 shards) against a hit from one Redis server (both without"
	echo "the near cache, in JVMs of their own; the cluster's processes share the cores with them):"
	echo
	ratio_table "Redis Cluster hit / Redis hit:hit, Redis Cluster:hit, Redis" \
		"its ceiling / the other's:ceiling (Redis Cluster hit JVM):ceiling (Redis hit JVM)"
	echo
	echo "Against the uncached render:"
	echo
	ratio_table "near hit / cache off:hit, near cache:cache off" \
		"near hit before Security / cache off:hit, near cache, before Security:cache off" \
		"Redis hit / cache off:hit, Redis:cache off" \
		"miss / cache off:miss (Redis):cache off"
	echo
	echo "Against nginx:"
	echo
	ratio_table "default hit / nginx static:hit, default:nginx static file" \
		"default hit / best opt-in:hit, default:hit, near cache, before Security" \
		"near hit / nginx static:hit, near cache:nginx static file" \
		"Redis hit / nginx static:hit, Redis:nginx static file" \
		"near hit / nginx Lua:hit, near cache:nginx from Redis (Lua)" \
		"Redis hit / nginx Lua:hit, Redis:nginx from Redis (Lua)" \
		"near hit before Security / nginx Lua:hit, near cache, before Security:nginx from Redis (Lua)"
	echo
	echo "The edge: a hit served by Varnish or by nginx's proxy_cache in front of the sample blog, against nginx"
	echo "serving the same bytes as static files (measured in turns with the edge, and in the nginx static file"
	echo "row) and against a hit from Redis (near cache off) in the sample blog alone:"
	echo
	ratio_table "Varnish / static in turns:hit, Varnish:nginx static (Varnish run)" \
		"Varnish / nginx static:hit, Varnish:nginx static file" \
		"Varnish / Redis hit:hit, Varnish:hit, Redis" \
		"proxy_cache / static in turns:hit, nginx proxy_cache:nginx static (proxy_cache run)" \
		"proxy_cache / nginx static:hit, nginx proxy_cache:nginx static file" \
		"proxy_cache / Redis hit:hit, nginx proxy_cache:hit, Redis"
	echo
	echo "Latency below saturation: 8 connections, gzip, each connection waiting ${PACE_MS} ms before each"
	echo "request (the table above loads the server as fast as it answers, so its p99 is mostly time spent"
	echo "waiting for a core that wrk, Tomcat's threads and Redis share):"
	echo
	echo "| configuration | page | requests/s | p50 ms | p99 ms | non-2xx |"
	echo "|---|---|---:|---:|---:|---:|"
	for row in "${paced[@]}"; do
		IFS='|' read -r label page c enc r m n e <<<"$row"
		printf '| %s | %s | %.0f | %.2f | %.2f | %s |\n' "$label" "$page" "$r" "$m" "$n" "$e"
	done
} >"$work/hit-path.md"
# keep the other sections of RESULTS.md (the workload benchmark's) as they are
if [ -f "$RESULTS" ]; then
	awk 'found || /^# / && !/^# Hit-path benchmark/ { found = 1 } found' "$RESULTS" >"$work/rest.md"
	if [ -s "$work/rest.md" ]; then
		echo >>"$work/hit-path.md"
		cat "$work/rest.md" >>"$work/hit-path.md"
	fi
fi
cp "$work/hit-path.md" "$RESULTS"
echo
sed -n '/^# Hit-path benchmark/,/^# Workload/p' "$RESULTS"
