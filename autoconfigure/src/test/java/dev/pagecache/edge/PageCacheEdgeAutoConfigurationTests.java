package dev.pagecache.edge;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import dev.pagecache.PageCache;
import dev.pagecache.edge.FakeEdgeApi.Answer;
import dev.pagecache.edge.FakeEdgeApi.Request;
import dev.pagecache.redis.PageCacheRedisAutoConfiguration;
import dev.pagecache.store.PageEntry;
import dev.pagecache.store.PageStore;
import dev.pagecache.test.ExpectedLogs;
import dev.pagecache.web.PageCacheAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link PageCacheEdgeAutoConfiguration}.
 *
 * @author pagecache
 */
class PageCacheEdgeAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, WebMvcAutoConfiguration.class,
				PageCacheRedisAutoConfiguration.class, PageCacheAutoConfiguration.class,
				PageCacheEdgeAutoConfiguration.class))
		.withPropertyValues("pagecache.store=memory");

	@Test
	void offByDefault() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(EdgePurges.class);
			assertThat(context.getBean(PageCache.class)).isNotInstanceOf(PurgingPageCache.class);
		});
	}

	@Test
	void varnishEndpointsMakeAVarnishPurgerAndInvalidationsPurgeTheEdge() {
		this.contextRunner
			.withPropertyValues("pagecache.edge.enabled=true",
					"pagecache.edge.varnish.endpoints=http://127.0.0.1:6081,http://127.0.0.2:6081/")
			.run((context) -> {
				assertThat(context).hasSingleBean(VarnishPurger.class).hasSingleBean(EdgePurges.class);
				assertThat(context.getBean(PageCache.class)).isInstanceOf(PurgingPageCache.class);
				assertThat(context.getBean(EdgePurges.class).status().queued()).isZero();
			});
	}

	@Test
	void varnishPurgesByTagOnlyWhenPagesCarryXkey() {
		try (FakeEdgeApi varnish = FakeEdgeApi.start((request) -> Answer.json(200, ""))) {
			this.contextRunner
				.withPropertyValues("pagecache.edge.enabled=true", "pagecache.edge.repurge-delay=0s",
						"pagecache.edge.varnish.endpoints=" + varnish.url())
				.run((context) -> invalidatePost1(context.getBean(PageStore.class), context.getBean(PageCache.class)));
			assertThat(varnish.requests()).extracting(Request::method, Request::target, (r) -> r.header("xkey-purge"))
				.containsExactly(tuple("PURGE", "/", EdgePurger.Purge.token("Post#1")));
		}
		for (String tagHeader : List.of("none", "surrogate-key", "cache-tag")) {
			try (FakeEdgeApi varnish = FakeEdgeApi.start((request) -> Answer.json(200, ""))) {
				this.contextRunner.withPropertyValues("pagecache.edge.enabled=true", "pagecache.edge.repurge-delay=0s",
						"pagecache.edge.tag-header=" + tagHeader, "pagecache.edge.varnish.endpoints=" + varnish.url())
					.run((context) -> invalidatePost1(context.getBean(PageStore.class),
							context.getBean(PageCache.class)));
				assertThat(varnish.requests()).as("pages without xkey, tag header " + tagHeader)
					.extracting(Request::method, Request::target, (r) -> r.header("xkey-purge"))
					.containsExactly(tuple("PURGE", "/posts/1?page=2", ""));
			}
		}
	}

	private static void invalidatePost1(PageStore store, PageCache pageCache) {
		String key = "GET http://localhost:80/posts/1?page=2";
		PageEntry entry = new PageEntry(200, List.of(), new byte[0], 0, "\"e\"", System.currentTimeMillis(),
				Set.of("Post#1", EdgePurger.Purge.ALL_PAGES_TAG));
		assertThat(store.put(key, entry, Duration.ofMinutes(1), store.lookup(key))).isTrue();
		pageCache.invalidateTags("Post#1");
	}

	@Test
	@ExpectedLogs(value = "dev.pagecache.edge.PageCacheEdgeAutoConfiguration", because = "no edge is configured")
	void edgeWithoutAnyPurgerWarnsAtStartUpThatNothingIsPurged() {
		Logger logger = (Logger) LoggerFactory.getLogger(PageCacheEdgeAutoConfiguration.class);
		ListAppender<ILoggingEvent> events = new ListAppender<>();
		events.start();
		logger.addAppender(events);
		try {
			this.contextRunner.withPropertyValues("pagecache.edge.enabled=true")
				.run((context) -> assertThat(context).hasNotFailed());
			this.contextRunner.withPropertyValues("pagecache.edge.enabled=true")
				.withUserConfiguration(OwnPurger.class)
				.run((context) -> assertThat(context).hasNotFailed());
		}
		finally {
			logger.detachAppender(events);
		}
		assertThat(events.list).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.WARN);
			assertThat(event.getFormattedMessage()).contains("pagecache.edge.enabled is true but no edge is purged",
					"pagecache.edge.varnish.endpoints", "EdgePurger bean");
		});
	}

	@Test
	@ExpectedLogs(value = "dev.pagecache.edge.PageCacheEdgeAutoConfiguration", because = "no edge is configured")
	void edgeWithoutVarnishEndpointsHasNoVarnishPurger() {
		this.contextRunner.withPropertyValues("pagecache.edge.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(VarnishPurger.class).hasSingleBean(EdgePurges.class));
	}

	@Test
	void applicationsOwnPurgerIsUsed() {
		this.contextRunner.withPropertyValues("pagecache.edge.enabled=true")
			.withUserConfiguration(OwnPurger.class)
			.run((context) -> {
				context.getBean(PageCache.class).invalidateTags("Post#1");
				assertThat(context.getBean(OwnPurger.class).purged).isTrue();
			});
	}

	@Test
	@ExpectedLogs(failedStartups = true, because = "an invalid edge property fails start-up")
	void invalidVarnishEndpointFailsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("pagecache.edge.enabled=true", "pagecache.edge.varnish.endpoints=127.0.0.1:6081")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("pagecache.edge.varnish.endpoints"));
	}

	@Test
	@ExpectedLogs(failedStartups = true, because = "an empty list of Varnish endpoints fails start-up")
	void emptyVarnishEndpointsFailStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("pagecache.edge.enabled=true", "pagecache.edge.varnish.endpoints=")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("pagecache.edge.varnish.endpoints"));
	}

	@Test
	@ExpectedLogs(failedStartups = true, because = "an invalid edge property fails start-up")
	void negativeRepurgeDelayFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("pagecache.edge.enabled=true", "pagecache.edge.repurge-delay=-1s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("pagecache.edge.repurge-delay"));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnPurger {

		volatile boolean purged;

		@Bean
		EdgePurger ownPurger() {
			return new EdgePurger() {

				@Override
				public boolean purgesByTag() {
					return true;
				}

				@Override
				public void purge(EdgePurger.Purge purge) {
					OwnPurger.this.purged = purge.tags().contains(EdgePurger.Purge.token("Post#1"));
				}

			};
		}

	}

}
