package dev.pagecache.sample;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;

import org.springframework.boot.test.context.TestComponent;

/**
 * Counts the HTTP sessions the server creates, whether or not a cookie for one reaches
 * the client.
 *
 * @author pagecache
 */
@TestComponent
class SessionCounter implements HttpSessionListener {

	private final AtomicInteger created = new AtomicInteger();

	@Override
	public void sessionCreated(HttpSessionEvent event) {
		this.created.incrementAndGet();
	}

	int created() {
		return this.created.get();
	}

}
