package dev.pagecache.web;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.pagecache.store.PageEntry;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.web.SingleFlight.Flight;
import dev.pagecache.web.SingleFlight.Role;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SingleFlight}: who leads and who follows in this instance, what
 * followers are handed, and how a leader takes, waits for and gives back the store's
 * lease of a page.
 *
 * @author pagecache
 */
@ExpectedLogs(value = "dev.pagecache.web.PageCacheFilter", because = "a store fails on purpose")
class SingleFlightTests {

	private static final String KEY = "GET http://localhost:80/pages/1";

	private final RecordingPageStore store = new RecordingPageStore(Clock.systemUTC());

	private final StoreCalls calls = new StoreCalls(this.store);

	@Test
	void firstToJoinLeadsAndOthersFollowUntilItLands() {
		SingleFlight flights = new SingleFlight(this.calls, Duration.ofSeconds(1), Duration.ZERO);
		Flight leader = flights.join(KEY, System.nanoTime());
		assertThat(leader.role()).isEqualTo(Role.LEADER);
		assertThat(flights.join(KEY, System.nanoTime()).role()).isEqualTo(Role.FOLLOWER);
		assertThat(flights.join("another key", System.nanoTime()).role()).isEqualTo(Role.LEADER);
		leader.land();
		assertThat(flights.join(KEY, System.nanoTime()).role()).isEqualTo(Role.LEADER);
	}

	@Test
	void reservedRenderIsFollowedByReadersAndLedByTheRefresh() {
		SingleFlight flights = new SingleFlight(this.calls, Duration.ofSeconds(5), Duration.ZERO);
		assertThat(flights.reserve(KEY)).isTrue();
		assertThat(flights.reserve(KEY)).as("reserved once").isFalse();
		Flight reader = flights.join(KEY, System.nanoTime());
		assertThat(reader.role()).isEqualTo(Role.FOLLOWER);
		CompletableFuture<PageEntry> followed = CompletableFuture.supplyAsync(reader::awaitPage);
		Flight refresh = flights.join(KEY, System.nanoTime(), true);
		assertThat(refresh.role()).isEqualTo(Role.LEADER);
		assertThat(flights.join(KEY, System.nanoTime(), true).role()).as("a second refresh").isEqualTo(Role.FOLLOWER);
		flights.cancel(KEY);
		PageEntry page = page();
		refresh.complete(page);
		assertThat(followed.join()).as("the cancel came after the refresh took over").isSameAs(page);
	}

	@Test
	void cancelledReservationLeavesItsReadersToRenderAndTheKeyFree() {
		SingleFlight flights = new SingleFlight(this.calls, Duration.ofSeconds(5), Duration.ZERO);
		flights.reserve(KEY);
		Flight reader = flights.join(KEY, System.nanoTime());
		flights.cancel(KEY);
		assertThat(reader.awaitPage()).isNull();
		assertThat(flights.join(KEY, System.nanoTime(), true).role()).isEqualTo(Role.LEADER);
	}

	@Test
	void refreshFollowsAReaderThatLeadsAndReadersNeverTakeAReservation() {
		SingleFlight flights = new SingleFlight(this.calls, Duration.ofSeconds(5), Duration.ZERO);
		flights.join(KEY, System.nanoTime());
		assertThat(flights.reserve(KEY)).isFalse();
		assertThat(flights.join(KEY, System.nanoTime(), true).role()).isEqualTo(Role.FOLLOWER);
		assertThat(SingleFlight.OFF.reserve(KEY)).as("single flight off").isFalse();
	}

	@Test
	void followerIsHandedThePageTheStoreAccepted() {
		SingleFlight flights = new SingleFlight(this.calls, Duration.ofSeconds(5), Duration.ZERO);
		Flight leader = flights.join(KEY, System.nanoTime());
		Flight follower = flights.join(KEY, System.nanoTime());
		CompletableFuture<PageEntry> followed = CompletableFuture.supplyAsync(follower::awaitPage);
		PageEntry page = page();
		leader.complete(page);
		assertThat(followed.join()).isSameAs(page);
	}

	@Test
	void followerIsHandedNothingWhenTheLeaderStoredNothing() {
		SingleFlight flights = new SingleFlight(this.calls, Duration.ofSeconds(5), Duration.ZERO);
		Flight leader = flights.join(KEY, System.nanoTime());
		Flight follower = flights.join(KEY, System.nanoTime());
		leader.complete(null);
		assertThat(follower.awaitPage()).isNull();
	}

	@Test
	void followerWaitsNoLongerThanTheLongestWait() {
		SingleFlight flights = new SingleFlight(this.calls, Duration.ofMillis(50), Duration.ZERO);
		flights.join(KEY, System.nanoTime());
		long start = System.nanoTime();
		assertThat(flights.join(KEY, System.nanoTime()).awaitPage()).isNull();
		assertThat(System.nanoTime() - start).isBetween(TimeUnit.MILLISECONDS.toNanos(45), TimeUnit.SECONDS.toNanos(2));
	}

	@Test
	void followerCannotLandOrCompleteTheLeadersFlight() {
		SingleFlight flights = new SingleFlight(this.calls, Duration.ofMillis(50), Duration.ZERO);
		Flight leader = flights.join(KEY, System.nanoTime());
		Flight follower = flights.join(KEY, System.nanoTime());
		follower.land();
		follower.complete(page());
		assertThat(flights.join(KEY, System.nanoTime()).role()).isEqualTo(Role.FOLLOWER);
		leader.complete(null);
		assertThat(follower.awaitPage()).isNull();
	}

	@Test
	void leaderTakesTheLeaseAndRendersAtOnce() {
		SingleFlight flights = new SingleFlight(this.calls, Duration.ofSeconds(1), Duration.ofSeconds(1));
		assertThat(flights.join(KEY, System.nanoTime()).awaitPage()).isNull();
		assertThat(this.store.leases).containsExactly(KEY);
	}

	@Test
	void leaseIsGivenBackWhenNothingWasStoredAndKeptWithAStoredPage() {
		SingleFlight flights = new SingleFlight(this.calls, Duration.ofSeconds(1), Duration.ofSeconds(1));
		Flight refused = flights.join(KEY, System.nanoTime());
		refused.awaitPage();
		refused.complete(null);
		assertThat(this.store.releases).containsExactly(KEY);
		Flight stored = flights.join(KEY, System.nanoTime());
		stored.awaitPage();
		stored.complete(page());
		assertThat(this.store.releases).containsExactly(KEY);
	}

	@Test
	void leaderThatLookedUpBeforeTheLastFlightStoredLooksAgainInsteadOfRendering() {
		SingleFlight flights = new SingleFlight(this.calls, Duration.ofSeconds(1), Duration.ofSeconds(1));
		long lookedUpEarly = System.nanoTime();
		Flight first = flights.join(KEY, lookedUpEarly);
		assertThat(first.awaitPage()).isNull();
		first.land();
		PageEntry page = page();
		this.store.pages.put(KEY, page, Duration.ofMinutes(1), this.store.pages.lookup(KEY));
		first.complete(page);
		// its lookup missed while the first flight rendered; it joins after the landing
		Flight late = flights.join(KEY, lookedUpEarly);
		assertThat(late.role()).isEqualTo(Role.LEADER);
		assertThat(late.awaitPage()).isEqualTo(page);
		assertThat(this.store.leases).hasSize(1);
		// a request that looked up after the first flight stored renders as usual
		this.store.pages.invalidate(List.of("Page"));
		Flight next = flights.join(KEY, System.nanoTime());
		assertThat(next.awaitPage()).isNull();
		assertThat(this.store.leases).hasSize(2);
	}

	@Test
	void leaderThatJoinsWhileALandedFlightIsStillStoringLooksAgainInsteadOfRendering() {
		SingleFlight flights = new SingleFlight(this.calls, Duration.ofSeconds(1), Duration.ofSeconds(1));
		Flight first = flights.join(KEY, System.nanoTime());
		assertThat(first.awaitPage()).isNull();
		first.land();
		// its lookup missed after the landing, before the put; it joins once the put gave
		// the lease back but before the first flight completed
		Flight late = flights.join(KEY, System.nanoTime());
		PageEntry page = page();
		this.store.pages.put(KEY, page, Duration.ofMinutes(1), this.store.pages.lookup(KEY));
		assertThat(late.role()).isEqualTo(Role.LEADER);
		assertThat(late.awaitPage()).isEqualTo(page);
		assertThat(this.store.leases).hasSize(1);
		first.complete(page);
		// once the first flight completed, nothing is storing: a later leader renders
		this.store.pages.invalidate(List.of("Page"));
		assertThat(flights.join(KEY, System.nanoTime()).awaitPage()).isNull();
		assertThat(this.store.leases).hasSize(2);
	}

	@Test
	void leaderFollowsTheInstanceHoldingTheLeaseAndHandsOnItsPage() {
		SingleFlight flights = new SingleFlight(this.calls, Duration.ofSeconds(5), Duration.ofSeconds(5));
		this.store.leasedElsewhere = true;
		Flight leader = flights.join(KEY, System.nanoTime());
		Flight follower = flights.join(KEY, System.nanoTime());
		CompletableFuture<PageEntry> led = CompletableFuture.supplyAsync(leader::awaitPage);
		awaitLeases(2);
		PageEntry page = page();
		this.store.pages.put(KEY, page, Duration.ofMinutes(1), this.store.pages.lookup(KEY));
		assertThat(led.join()).isEqualTo(page);
		assertThat(follower.awaitPage()).isEqualTo(page);
		assertThat(this.store.releases).isEmpty();
	}

	@Test
	void leaderTakesTheLeaseAsSoonAsItIsGivenBackWithoutAPage() {
		SingleFlight flights = new SingleFlight(this.calls, Duration.ofSeconds(5), Duration.ofSeconds(5));
		this.store.leasedElsewhere = true;
		long start = System.nanoTime();
		CompletableFuture<PageEntry> led = CompletableFuture
			.supplyAsync(flights.join(KEY, System.nanoTime())::awaitPage);
		awaitLeases(2);
		this.store.leasedElsewhere = false;
		assertThat(led.join()).isNull();
		assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(3));
	}

	@Test
	void leaderRendersWhenTheLeaseIsHeldPastItsDuration() {
		SingleFlight flights = new SingleFlight(this.calls, Duration.ofSeconds(5), Duration.ofMillis(100));
		this.store.leasedElsewhere = true;
		long start = System.nanoTime();
		assertThat(flights.join(KEY, System.nanoTime()).awaitPage()).isNull();
		assertThat(System.nanoTime() - start).isBetween(TimeUnit.MILLISECONDS.toNanos(95), TimeUnit.SECONDS.toNanos(3));
	}

	@Test
	void leaderRendersAtOnceWhenTheStoreIsDown() {
		SingleFlight flights = new SingleFlight(this.calls, Duration.ofSeconds(5), Duration.ofSeconds(5));
		this.store.down = true;
		long start = System.nanoTime();
		assertThat(flights.join(KEY, System.nanoTime()).awaitPage()).isNull();
		assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
		assertThat(this.calls.isDown()).isTrue();
	}

	@Test
	void withSingleFlightOffEveryRequestRendersAlone() {
		Flight first = SingleFlight.OFF.join(KEY, System.nanoTime());
		Flight second = SingleFlight.OFF.join(KEY, System.nanoTime());
		assertThat(first.role()).isEqualTo(Role.ALONE);
		assertThat(second.role()).isEqualTo(Role.ALONE);
		assertThat(first.awaitPage()).isNull();
		first.complete(null);
		assertThat(this.store.leases).isEmpty();
		assertThat(this.store.releases).isEmpty();
	}

	private void awaitLeases(int count) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (this.store.leases.size() < count && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
	}

	private static PageEntry page() {
		return new PageEntry(200, List.of(), Gzip.compress(new byte[] { 'x' }, 1, 1), 1, "\"x\"", 0, Set.of("Page"));
	}

}
