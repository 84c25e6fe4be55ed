package dev.pagecache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageStoreUnavailableException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AcknowledgementWait} and {@link Acknowledgement}, without Redis: a
 * writer waits for every registered near cache's acknowledgement, never past its
 * registration.
 *
 * @author pagecache
 */
class AcknowledgementWaitTests {

	private static final String EPOCH = "Xq3mX9a_E2lT0pVb";

	private final Map<String, byte[]> applied = new ConcurrentHashMap<>();

	private final AtomicInteger reads = new AtomicInteger();

	private final AcknowledgementWait wait = new AcknowledgementWait(this::read);

	@Test
	void acknowledgementRoundTripsAndCoversLaterSequencesOfItsEpochOnly() {
		Acknowledgement acknowledgement = new Acknowledgement(17, EPOCH);
		assertThat(Acknowledgement.parse(acknowledgement.toBytes())).isEqualTo(acknowledgement);
		assertThat(acknowledgement.covers(17, EPOCH)).isTrue();
		assertThat(acknowledgement.covers(16, EPOCH)).isTrue();
		assertThat(acknowledgement.covers(18, EPOCH)).isFalse();
		assertThat(acknowledgement.covers(17, "Yq3mX9a_E2lT0pVb")).isFalse();
	}

	@Test
	void malformedAcknowledgementIsNone() {
		assertThat(Acknowledgement.parse(null)).isNull();
		assertThat(Acknowledgement.parse(bytes("17"))).isNull();
		assertThat(Acknowledgement.parse(bytes("\n" + EPOCH))).isNull();
		assertThat(Acknowledgement.parse(bytes("x\n" + EPOCH))).isNull();
	}

	@Test
	void replyWithoutRegisteredNearCachesReadsNothing() {
		this.wait.await(reply(5, 1000), null);
		assertThat(this.reads).hasValue(0);
	}

	@Test
	void writerWaitsUntilEveryNearCacheHasAcknowledged() {
		this.applied.put("a", new Acknowledgement(5, EPOCH).toBytes());
		this.applied.put("b", new Acknowledgement(4, EPOCH).toBytes());
		Thread acknowledger = new Thread(() -> {
			sleep(100);
			this.applied.put("b", new Acknowledgement(5, EPOCH).toBytes());
		});
		acknowledger.start();
		long start = System.nanoTime();
		this.wait.await(reply(5, 1000, "a", 61_000, "b", 61_000), null);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(90), Duration.ofSeconds(5));
		assertThat(this.reads.get()).isGreaterThan(1);
	}

	@Test
	void writerStopsWaitingForANearCacheWhenItsRegistrationExpires() {
		long start = System.nanoTime();
		this.wait.await(reply(5, 1000, "silent", 1200), null);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(190),
				Duration.ofSeconds(2));
	}

	@Test
	void acknowledgementOfAnotherEpochDoesNotCount() {
		this.applied.put("a", new Acknowledgement(9, "Yq3mX9a_E2lT0pVb").toBytes());
		long start = System.nanoTime();
		this.wait.await(reply(5, 1000, "a", 1100), null);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(90));
	}

	@Test
	void localNearCacheIsAskedDirectly() {
		List<Long> asked = new ArrayList<>();
		this.wait.await(reply(5, 1000, "local", 61_000), "local", (sequence, epoch) -> asked.add(sequence),
				Duration.ofSeconds(30), true);
		assertThat(asked).containsExactly(5L);
		assertThat(this.reads).hasValue(0);
	}

	@Test
	void writerDoesNotWaitForRegistrationsOlderThanOneRegistration() {
		long start = System.nanoTime();
		this.wait.await(replyCreated(5, 100_000, 1000, "local", 161_000), "local", (sequence, epoch) -> true,
				Duration.ofSeconds(30), true);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void writerWaitsUntilYoungRegistrationsAreOneRegistrationOld() {
		long start = System.nanoTime();
		this.wait.await(replyCreated(5, 1000, 900, "local", 61_000), "local", (sequence, epoch) -> true,
				Duration.ofMillis(400), true);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(300),
				Duration.ofSeconds(5));
	}

	@Test
	void writerWhoseNearCacheHasRegisteredWaitsOneRegistrationWhenNoRegistrationsAreLeft() {
		long start = System.nanoTime();
		this.wait.await(replyCreated(5, 1000, 0), "local", (sequence, epoch) -> true, Duration.ofMillis(300), true);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		start = System.nanoTime();
		this.wait.await(replyCreated(5, 1000, 0), "local", (sequence, epoch) -> true, Duration.ofSeconds(30), false);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not registered yet: at start-up")
			.isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void writerStopsWaitingWhenRedisCannotBeRead() {
		AcknowledgementWait failing = new AcknowledgementWait((names) -> {
			throw new PageStoreUnavailableException("down");
		});
		long start = System.nanoTime();
		failing.await(reply(5, 1000, "a", 61_000), null);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
	}

	private List<byte @Nullable []> read(byte[][] names) {
		this.reads.incrementAndGet();
		return Arrays.stream(names).map((name) -> this.applied.get(new String(name, StandardCharsets.UTF_8))).toList();
	}

	/**
	 * A script's reply: a count, the sequence, the epoch, an empty report, the server's
	 * time, when the registrations began, then names and registration expiries.
	 */
	private static List<Object> reply(long sequence, long serverTime, Object... registrations) {
		// registrations begun an hour before
		return replyCreated(sequence, serverTime, (registrations.length > 0) ? serverTime - 3_600_000 : 0,
				registrations);
	}

	private static List<Object> replyCreated(long sequence, long serverTime, long created, Object... registrations) {
		List<Object> reply = new ArrayList<>(List.of(1L, sequence, bytes(EPOCH), List.of(), serverTime, created));
		for (int i = 0; i < registrations.length; i += 2) {
			reply.add(bytes((String) registrations[i]));
			reply.add(((Integer) registrations[i + 1]).longValue());
		}
		return reply;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
