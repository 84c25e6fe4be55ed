package dev.pagecache.mvc;

import org.junit.jupiter.api.BeforeEach;

import dev.pagecache.PageCache;
import dev.pagecache.test.TestHttp;
import dev.pagecache.test.WithRedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What the HTTP tests of {@link MvcPatternsApplication} share: a real Redis server, a
 * client, and a cache and call counts emptied before each test.
 */
@WithRedisServer
abstract class MvcHttpTestSupport {

	@LocalServerPort
	int port;

	@Autowired
	OwnerController controller;

	@Autowired
	PageCache pageCache;

	TestHttp<String> http;

	@BeforeEach
	void setUp() {
		this.http = TestHttp.text(this.port);
		this.pageCache.clear();
		this.controller.reset();
	}

}
