package dev.pagecache.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.pagecache.PageTags;
import dev.pagecache.test.ExpectedLogs;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PageCacheFilter}'s states without a Redis server: hit, stale, miss,
 * bypass, and the leader and followers of single flight.
 *
 * @author pagecache
 */
@ExpectedLogs(value = "dev.pagecache.web.PageCacheFilter", because = "a store fails on purpose")
class PageCacheFilterTests {

	private final PageFilterFixture fixture = new PageFilterFixture();

	@AfterEach
	void releaseHeldRenders() {
		this.fixture.controller.release();
	}

	@Test
	void missIsRenderedByTheControllerAndStoredUnderItsPath() throws Exception {
		MockHttpServletResponse response = this.fixture.get("/pages/1");
		assertThat(response.getHeader("X-Page-Cache")).isEqualTo("MISS");
		assertThat(response.getContentAsString()).isEqualTo("page 1");
		assertThat(response.getHeader("ETag")).isNotNull();
		assertThat(this.fixture.store.keysTagged(PageTags.path("/pages/1"))).hasSize(1);
		assertThat(this.fixture.store.keysTagged(PageTags.route("/pages/{id}"))).hasSize(1);
	}

	@Test
	void hitIsServedWithoutCallingTheController() throws Exception {
		this.fixture.get("/pages/1");
		this.fixture.clock.advance(Duration.ofSeconds(5));
		MockHttpServletResponse hit = this.fixture.get("/pages/1");
		assertThat(hit.getHeader("X-Page-Cache")).isEqualTo("HIT");
		assertThat(hit.getContentAsString()).isEqualTo("page 1");
		assertThat(hit.getHeader("Age")).isEqualTo("5");
		assertThat(hit.getContentType()).isEqualTo("text/html;charset=UTF-8");
		assertThat(this.fixture.controller.calls).hasValue(1);
	}

	@Test
	void hitForAClientHoldingThePageIsNotModified() throws Exception {
		String etag = this.fixture.get("/pages/1").getHeader("ETag");
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/pages/1");
		request.addHeader("If-None-Match", etag);
		MockHttpServletResponse response = this.fixture.perform(request);
		assertThat(response.getStatus()).isEqualTo(304);
		assertThat(response.getContentAsByteArray()).isEmpty();
	}

	@Test
	void headIsAnsweredFromTheGetPageAndNeverStored() throws Exception {
		MockHttpServletResponse headMiss = this.fixture.perform(new MockHttpServletRequest("HEAD", "/pages/1"));
		assertThat(headMiss.getHeader("X-Page-Cache")).isEqualTo("MISS");
		assertThat(this.fixture.store.puts).hasValue(0);
		this.fixture.get("/pages/1");
		MockHttpServletResponse headHit = this.fixture.perform(new MockHttpServletRequest("HEAD", "/pages/1"));
		assertThat(headHit.getHeader("X-Page-Cache")).isEqualTo("HIT");
		assertThat(headHit.getContentLength()).isEqualTo("page 2".length());
		assertThat(headHit.getContentAsByteArray()).isEmpty();
		assertThat(this.fixture.controller.calls).hasValue(2);
	}

	@Test
	void requestWithCredentialsBypassesTheCache() throws Exception {
		this.fixture.get("/pages/1");
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/pages/1");
		request.addHeader("Authorization", "Bearer secret");
		MockHttpServletResponse response = this.fixture.perform(request);
		assertThat(response.getHeader("X-Page-Cache")).isEqualTo("BYPASS");
		assertThat(response.getContentAsString()).isEqualTo("page 2");
		assertThat(this.fixture.store.lookups).hasValue(1);
		assertThat(this.fixture.store.puts).hasValue(1);
	}

	@Test
	void pagesServedAreCountedForTheHotListButBypassesAreNot() throws Exception {
		DemandSampler demand = new DemandSampler(this.fixture.store, 256, Duration.ofSeconds(1));
		this.fixture.filter.setDemand(demand);
		this.fixture.get("/pages/1");
		this.fixture.get("/pages/1");
		MockHttpServletRequest withCredentials = new MockHttpServletRequest("GET", "/pages/1");
		withCredentials.addHeader("Authorization", "Bearer secret");
		assertThat(this.fixture.perform(withCredentials).getHeader("X-Page-Cache")).isEqualTo("BYPASS");
		this.fixture.get("/other");
		demand.drain();
		Map<String, Long> counts = demand.takeCounts();
		assertThat(counts).as("a miss and a hit").hasSize(1).containsValue(2L);
		assertThat(counts.keySet().iterator().next()).endsWith("/pages/1");
	}

	@Test
	void uriThatIsNotCanonicalBypassesTheCache() throws Exception {
		MockHttpServletResponse response = this.fixture.get("/pages/1;jsessionid=abc");
		assertThat(response.getHeader("X-Page-Cache")).isEqualTo("BYPASS");
		assertThat(this.fixture.controller.calls).hasValue(1);
		assertThat(this.fixture.store.lookups).hasValue(0);
		assertThat(this.fixture.store.puts).hasValue(0);
	}

	@Test
	void requestNoPageRouteServesPassesThroughWithoutALookup() throws Exception {
		MockHttpServletResponse other = this.fixture.get("/other");
		MockHttpServletResponse post = this.fixture.perform(new MockHttpServletRequest("POST", "/pages/1"));
		assertThat(other.getHeader("X-Page-Cache")).isNull();
		assertThat(other.getContentAsString()).isEqualTo("page 1");
		assertThat(post.getHeader("X-Page-Cache")).isNull();
		assertThat(this.fixture.controller.calls).hasValue(2);
		assertThat(this.fixture.store.lookups).hasValue(0);
	}

	@Test
	void storeThatCannotBeReachedServesThePageUncached() throws Exception {
		this.fixture.store.down = true;
		MockHttpServletResponse response = this.fixture.get("/pages/1");
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getHeader("X-Page-Cache")).isEqualTo("BYPASS");
		assertThat(response.getContentAsString()).isEqualTo("page 1");
		this.fixture.store.down = false;
		assertThat(this.fixture.get("/pages/1").getHeader("X-Page-Cache")).isEqualTo("MISS");
		assertThat(this.fixture.get("/pages/1").getHeader("X-Page-Cache")).isEqualTo("HIT");
	}

	@Test
	void expiredPageWithoutSingleFlightIsRenderedAgain() throws Exception {
		this.fixture.get("/pages/1");
		this.fixture.clock.advance(Duration.ofSeconds(61));
		MockHttpServletResponse response = this.fixture.get("/pages/1");
		assertThat(response.getHeader("X-Page-Cache")).isEqualTo("MISS");
		assertThat(response.getContentAsString()).isEqualTo("page 2");
		assertThat(this.fixture.get("/pages/1").getContentAsString()).isEqualTo("page 2");
	}

	@Test
	void stalePageIsServedWhileTheLeaderRevalidatesIt() throws Exception {
		this.fixture.filter.setSingleFlight(Duration.ofSeconds(5), Duration.ZERO);
		this.fixture.get("/pages/1");
		this.fixture.clock.advance(Duration.ofSeconds(61));
		this.fixture.controller.hold();
		Request leader = start("/pages/1");
		this.fixture.controller.awaitEntered();
		MockHttpServletResponse follower = this.fixture.get("/pages/1");
		assertThat(follower.getHeader("X-Page-Cache")).isEqualTo("STALE");
		assertThat(follower.getContentAsString()).isEqualTo("page 1");
		this.fixture.controller.release();
		assertThat(leader.response().getContentAsString()).isEqualTo("page 2");
		MockHttpServletResponse fresh = this.fixture.get("/pages/1");
		assertThat(fresh.getHeader("X-Page-Cache")).isEqualTo("HIT");
		assertThat(fresh.getContentAsString()).isEqualTo("page 2");
		assertThat(this.fixture.controller.calls).hasValue(2);
	}

	@Test
	void followerIsServedThePageItsLeaderStored() throws Exception {
		this.fixture.filter.setSingleFlight(Duration.ofSeconds(5), Duration.ofSeconds(1));
		this.fixture.controller.hold();
		Request leader = start("/pages/1");
		this.fixture.controller.awaitEntered();
		Request follower = start("/pages/1");
		follower.awaitWaiting();
		this.fixture.controller.release();
		assertThat(leader.response().getHeader("X-Page-Cache")).isEqualTo("MISS");
		MockHttpServletResponse followed = follower.response();
		assertThat(followed.getHeader("X-Page-Cache")).isEqualTo("HIT");
		assertThat(followed.getContentAsString()).isEqualTo("page 1");
		assertThat(this.fixture.controller.calls).hasValue(1);
		assertThat(this.fixture.store.leases).hasSize(1);
		assertThat(this.fixture.store.releases).isEmpty();
	}

	@Test
	void followerRendersItselfWhenItsLeadersPageWasRefused() throws Exception {
		this.fixture.filter.setSingleFlight(Duration.ofSeconds(5), Duration.ofSeconds(1));
		this.fixture.controller.hold();
		Request leader = start("/pages/1");
		this.fixture.controller.awaitEntered();
		Request follower = start("/pages/1");
		follower.awaitWaiting();
		this.fixture.store.invalidate(List.of(PageTags.route("/pages/{id}")));
		this.fixture.controller.release();
		assertThat(leader.response().getContentAsString()).isEqualTo("page 1");
		MockHttpServletResponse rendered = follower.response();
		assertThat(rendered.getHeader("X-Page-Cache")).isEqualTo("MISS");
		assertThat(rendered.getContentAsString()).isEqualTo("page 2");
		assertThat(this.fixture.controller.calls).hasValue(2);
		assertThat(this.fixture.store.releases).hasSize(1);
	}

	@Test
	void leaderServesThePageOfTheInstanceHoldingTheLease() throws Exception {
		this.fixture.filter.setSingleFlight(Duration.ofSeconds(5), Duration.ofSeconds(5));
		// a page to copy under the key that another instance renders
		this.fixture.get("/pages/0");
		this.fixture.store.leasedElsewhere = true;
		Request leader = start("/pages/1");
		awaitLeases(2);
		String key = this.fixture.store.leases.get(1);
		this.fixture.store.pages.put(key, this.fixture.store.pages.lookup(this.fixture.store.leases.get(0)).entry(),
				Duration.ofMinutes(1), this.fixture.store.pages.lookup(key));
		MockHttpServletResponse served = leader.response();
		assertThat(served.getHeader("X-Page-Cache")).isEqualTo("HIT");
		assertThat(served.getContentAsString()).isEqualTo("page 1");
		assertThat(this.fixture.controller.calls).hasValue(1);
	}

	private Request start(String uri) {
		FutureTask<MockHttpServletResponse> response = new FutureTask<>(() -> this.fixture.get(uri));
		Thread thread = new Thread(response, "request " + uri);
		thread.setDaemon(true);
		thread.start();
		return new Request(response, thread);
	}

	private void awaitLeases(int count) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (this.fixture.store.leases.size() < count && System.nanoTime() < deadline) {
			Thread.sleep(1);
		}
	}

	/**
	 * A request served in a thread of its own.
	 */
	private record Request(FutureTask<MockHttpServletResponse> task, Thread thread) {

		/** Wait until the request waits, as a follower does for its leader. */
		void awaitWaiting() throws InterruptedException {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			while (this.thread.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
				Thread.sleep(1);
			}
		}

		MockHttpServletResponse response() throws InterruptedException, ExecutionException, TimeoutException {
			return this.task.get(5, TimeUnit.SECONDS);
		}

	}

}
