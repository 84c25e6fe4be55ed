package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageLookup;
import dev.pagecache.test.ExpectedLogs;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the message path of {@link NearCacheChannel}, without Redis: the factory is
 * never started, since a channel that is not started sends nothing.
 *
 * @author pagecache
 */
@ExpectedLogs(value = "dev.pagecache.redis.NearCacheChannel", because = "malformed messages are sent")
class NearCacheChannelTests {

	private static final String EPOCH = "Xq3mX9a_E2lT0pVb";

	private final NearCacheEntries entries = new NearCacheEntries(1024 * 1024);

	private final NearCacheSynchronization synchronization = new NearCacheSynchronization("me",
			Duration.ofSeconds(1).toNanos(), this.entries);

	private final LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory();

	private final NearCacheChannel channel = new NearCacheChannel(this.connectionFactory, new RedisKeys("ns"), "me",
			Duration.ofMillis(100), Duration.ofSeconds(1), this.synchronization,
			new NearCacheSubscription(this.connectionFactory));

	@Test
	void messageIsAppliedToTheSynchronization() {
		this.channel.onMessage(bytes("c\n5\n" + EPOCH));
		assertThat(this.synchronization.acknowledgement()).isEqualTo(new Acknowledgement(5, EPOCH));
	}

	@Test
	void malformedMessageFlushesTheNearCache() {
		this.channel.onMessage(bytes("c\n5\n" + EPOCH));
		PageEntry page = new PageEntry(200, List.of(), bytes("one"), 3, "\"e\"", 0, Set.of("Post#1"));
		NearCacheEntry entry = new NearCacheEntry("/posts/1", new PageLookup(page, 5, EPOCH, null), Long.MAX_VALUE, 10);
		assertThat(this.synchronization.offer(entry, 5, EPOCH, 0)).isTrue();
		this.channel.onMessage(bytes("i\n6\n" + EPOCH.substring(1) + "\nPost#1"));
		assertThat(this.entries.readView()).isEmpty();
		assertThat(this.synchronization.acknowledgement()).isNull();
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
