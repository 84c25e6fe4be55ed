# Varnish in front of a pagecache application (Varnish 7, varnish-modules for xkey).
#
# - Pages that pagecache stored come with "Cache-Control: public, s-maxage=<remaining TTL>": Varnish keeps
#   them exactly that long, with the tag tokens of their "xkey" header. Every other response of the
#   application is "private" or carries its own Cache-Control, and is passed or kept as Varnish's built-in
#   rules say.
# - pagecache's bypass rules apply here too: a request with Authorization, Proxy-Authorization or any cookie
#   but the ignored analytics ones passes to the application; the analytics cookies are stripped.
#   Keep IGNORED_COOKIES below in step with pagecache.credentials.ignored-cookies.
# - pagecache purges through PURGE requests, accepted only from the "purgers" ACL (loopback by default):
#   "PURGE /" with an "xkey-purge: <token> <token>..." header drops every object tagged with one of the
#   tokens; "PURGE /posts/1?page=2" bans the objects stored for that path and query, on any host; "PURGE /*"
#   bans every page.
#   A page whose fetch began before a purge arrived is passed on but not kept: it may have been rendered before
#   the write the purge is for, and arrive after the purge. A copy that a purge followed within 3 s of its storing
#   is not served in those 3 s but fetched anew once (it may have entered the cache just after the purge ran).
# - Two copies per URL, as the application sends them: gzip for clients whose Accept-Encoding accepts gzip
#   (with a q other than 0), identity for every other client, so that no hit is decompressed on its way out.
#   vcl_recv sorts each request into one of the two (X-Pagecache-Encoding), the application is asked for that
#   encoding, and the two copies are variants of one object (Vary) under the URL's hash: a ban by URL and an
#   xkey purge drop both.
# - Responses say "X-Cache: HIT" when Varnish served them from its cache, else "X-Cache: MISS".
#
# The application: 127.0.0.1:8080 below. Change .host and .port to where it listens (or sed them:
#   sed 's/"8080"/"9090"/' edge/varnish/pagecache.vcl | sudo tee /etc/varnish/default.vcl).
# Run it as Debian's varnish service, whose VCL is /etc/varnish/default.vcl (docs/edge.md), or as your own user
# to try it (the README's "Behind Varnish"):
#   varnishd -n /tmp/pagecache-varnish -a 127.0.0.1:6091 -f "$PWD/edge/varnish/pagecache.vcl"
# and point pagecache at it: pagecache.edge.enabled=true, pagecache.edge.varnish.endpoints=http://127.0.0.1:6091
vcl 4.1;

import std;
import var;
import xkey;

backend default {
	.host = "127.0.0.1";
	.port = "8080";
}

# Who may purge: pagecache's instances. Add their addresses when they do not run on this host.
acl purgers {
	"127.0.0.1";
	"::1";
}

sub vcl_recv {
	# set below, by Varnish only
	unset req.http.X-Pagecache-Encoding;
	if (req.restarts == 0) {
		unset req.http.x-pagecache-suspect;
	}
	if (req.method == "PURGE") {
		if (client.ip !~ purgers) {
			return (synth(403, "Forbidden"));
		}
		# fetches that began before now may bring a page rendered before the write this purge is for: they are
		# not kept (vcl_backend_response), or they would arrive after the purge and stay
		call pagecache_mark_purge;
		if (req.http.xkey-purge) {
			set req.http.x-purged = xkey.purge(req.http.xkey-purge);
			# moves "now" on for vcl_synth, which marks the purge again
			std.timestamp("Purged");
			return (synth(200, "Purged " + req.http.x-purged));
		}
		if (req.url == "/*") {
			set req.http.x-ban = "obj.http.x-pagecache-url ~ ^/";
		}
		else {
			set req.http.x-ban = "obj.http.x-pagecache-url == " + req.url;
		}
		if (std.ban(req.http.x-ban)) {
			std.timestamp("Purged");
			return (synth(200, "Banned"));
		}
		return (synth(400, std.ban_error()));
	}
	if (req.method != "GET" && req.method != "HEAD") {
		return (pass);
	}
	if (req.http.Authorization || req.http.Proxy-Authorization) {
		return (pass);
	}
	if (req.http.Cookie) {
		# IGNORED_COOKIES: pagecache's default pagecache.credentials.ignored-cookies
		# (_ga, _ga_*, _gid, _gat*, _gcl_*, _fbp, _hj*, _pk_*, _clck, _clsk)
		set req.http.Cookie = regsuball(req.http.Cookie,
			"(^|;\s*)(_ga|_ga_[^=;]*|_gid|_gat[^=;]*|_gcl_[^=;]*|_fbp|_hj[^=;]*|_pk_[^=;]*|_clck|_clsk)=[^;]*", "");
		set req.http.Cookie = regsub(req.http.Cookie, "^[;\s]+", "");
		if (req.http.Cookie ~ "^\s*$") {
			unset req.http.Cookie;
		}
		else {
			return (pass);
		}
	}
	# gzip when the client accepts it (a "gzip" coding whose q is not 0), identity otherwise: exactly two copies
	if (req.http.Accept-Encoding ~ "(?i)(^|,)\s*gzip\s*(;|,|$)"
			&& req.http.Accept-Encoding !~ "(?i)(^|,)\s*gzip\s*;\s*q\s*=\s*0(\.0*)?\s*(,|$)") {
		set req.http.X-Pagecache-Encoding = "gzip";
	}
	else {
		set req.http.X-Pagecache-Encoding = "identity";
	}
	if (req.http.x-pagecache-suspect == "hit") {
		# vcl_hit found a copy that may have escaped a purge: drop the URL's copies, then fetch it anew
		set req.http.x-pagecache-suspect = "purged";
		return (purge);
	}
	return (hash);
}

# A copy that passed vcl_backend_response's check just before a purge arrived, and entered the cache only after
# the purge had run, escaped the purge until pagecache's second purge (pagecache.edge.repurge-delay, 2 s by default)
# drops it. So a hit on a copy that a purge followed is not served within 3 s of the copy's check (the delay and a
# second more: raise it with a longer delay): the URL's copies are purged and fetched anew, once. A copy that no purge
# followed, or older than that, is served (a copy stored just before a purge of other pages costs one fetch more).
sub vcl_hit {
	if (std.integer(var.global_get("pagecache-purged"), 0) > std.integer(obj.http.x-pagecache-mark, 0)
			&& std.integer(real = std.real(time = now) * 1000.0) - std.integer(obj.http.x-pagecache-checked, 0)
				< 3000) {
		if (req.restarts == 0) {
			set req.http.x-pagecache-suspect = "hit";
			return (restart);
		}
		return (pass);
	}
}

sub vcl_purge {
	if (req.http.x-pagecache-suspect == "purged") {
		return (restart);
	}
}

# Records that a purge arrives, as a time in whole milliseconds rounded up (a fetch that began a fraction of a
# millisecond before a purge must not pass for one that began after it; one that began just after it is not kept
# either, which costs one more fetch). A purge marks its time before it drops anything and again once it has
# (vcl_synth, after std.timestamp moved "now" on), so that a fetch that began while it ran counts as one that began
# before it; a mark replaces only an earlier one (two purges at once may still race, and the second mark of each
# repairs that). A fetch that passed vcl_backend_response just before a purge, and whose object enters the cache
# just after it, escapes both: vcl_hit does not serve it until pagecache's second purge
# (pagecache.edge.repurge-delay) drops it.
sub pagecache_mark_purge {
	set req.http.x-purge-mark = "" + std.integer(real = std.real(time = now) * 1000.0 + 1.0);
	if (std.integer(req.http.x-purge-mark, 0) > std.integer(var.global_get("pagecache-purged"), 0)) {
		var.global_set("pagecache-purged", req.http.x-purge-mark);
	}
}

sub vcl_synth {
	if (req.method == "PURGE" && client.ip ~ purgers) {
		call pagecache_mark_purge;
	}
}

sub vcl_backend_fetch {
	var.set_real("fetch-started", std.real(time = now));
	if (bereq.http.X-Pagecache-Encoding == "identity") {
		# Varnish asked for gzip (http_gzip_support): the identity copy is stored as the application sends it
		unset bereq.http.Accept-Encoding;
	}
}

sub vcl_backend_response {
	# the URL the object was stored under, for bans by URL (the ban lurker reads obj.*, not req.*)
	set beresp.http.x-pagecache-url = bereq.url;
	if (beresp.http.Cache-Control ~ "(?i)s-maxage") {
		if (std.integer(real = var.get_real("fetch-started") * 1000.0)
				<= std.integer(var.global_get("pagecache-purged"), 0)) {
			# fetched while a purge was sent: it may predate the purge's write, so it is passed on, not kept
			set beresp.uncacheable = true;
			set beresp.ttl = 1s;
			return (deliver);
		}
		# a page pagecache shares lives exactly as long as in pagecache's store: never served past it
		set beresp.grace = 0s;
		# when it passed the check above, and the latest purge then, for vcl_hit
		set beresp.http.x-pagecache-checked = "" + std.integer(real = std.real(time = now) * 1000.0);
		set beresp.http.x-pagecache-mark = "" + std.integer(var.global_get("pagecache-purged"), 0);
	}
	if (bereq.http.X-Pagecache-Encoding) {
		# the gzip and the identity copy are two variants of the URL's object
		if (beresp.http.Vary) {
			set beresp.http.Vary = beresp.http.Vary + ", X-Pagecache-Encoding";
		}
		else {
			set beresp.http.Vary = "X-Pagecache-Encoding";
		}
	}
}

sub vcl_deliver {
	if (obj.hits > 0) {
		set resp.http.X-Cache = "HIT";
	}
	else {
		set resp.http.X-Cache = "MISS";
	}
	unset resp.http.xkey;
	unset resp.http.x-pagecache-url;
	unset resp.http.x-pagecache-checked;
	unset resp.http.x-pagecache-mark;
	# clients get the application's Vary: the variant header is Varnish's own
	set resp.http.Vary = regsub(resp.http.Vary, "(^|,\s*)X-Pagecache-Encoding$", "");
	if (resp.http.Vary == "") {
		unset resp.http.Vary;
	}
}
