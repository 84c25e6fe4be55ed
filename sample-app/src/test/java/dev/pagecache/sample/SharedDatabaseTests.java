package dev.pagecache.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several instances of the blog share one database: the schema and the seed data are
 * written once.
 *
 * @author pagecache
 */
class SharedDatabaseTests {

	private static final int SEED_POSTS = 30;

	/**
	 * Logging is set up through JVM-wide system properties, which two applications
	 * starting in one JVM would race on; separate processes do not share them. Instances
	 * therefore take turns until their contexts are prepared, and refresh (where the
	 * schema and the seed data are written) side by side.
	 */
	private static final Semaphore preparing = new Semaphore(1);

	@Test
	void twoInstancesStartingTogetherSeedTheDatabaseOnce() throws Exception {
		String url = "jdbc:h2:mem:shared-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		ExecutorService executor = Executors.newFixedThreadPool(2);
		List<Future<ConfigurableApplicationContext>> starts = new ArrayList<>();
		List<ConfigurableApplicationContext> instances = new ArrayList<>();
		try {
			for (int i = 0; i < 2; i++) {
				starts.add(executor.submit(() -> start(url)));
			}
			for (Future<ConfigurableApplicationContext> start : starts) {
				instances.add(start.get(2, TimeUnit.MINUTES));
			}
			JdbcTemplate jdbc = instances.get(0).getBean(JdbcTemplate.class);
			assertThat(count(jdbc, "select count(*) from seed_marker")).isEqualTo(1);
			assertThat(count(jdbc, "select count(*) from authors")).isEqualTo(5);
			assertThat(count(jdbc, "select count(*) from categories")).isEqualTo(6);
			assertThat(count(jdbc, "select count(*) from posts")).isEqualTo(SEED_POSTS);
			assertThat(count(jdbc, "select min(id) from posts")).isEqualTo(1);
			assertThat(count(jdbc, "select max(id) from posts")).isEqualTo(SEED_POSTS);
			assertThat(count(jdbc, "select count(*) from comments")).isPositive();
		}
		finally {
			for (Future<ConfigurableApplicationContext> start : starts) {
				start.cancel(false);
			}
			executor.shutdown();
			instances.forEach(ConfigurableApplicationContext::close);
		}
	}

	@Test
	void secondStartAgainstASeededDatabaseAddsNothing() {
		String url = "jdbc:h2:mem:restart-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		try (ConfigurableApplicationContext first = start(url)) {
			JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
			long comments = count(jdbc, "select count(*) from comments");
			try (ConfigurableApplicationContext second = start(url)) {
				assertThat(second.isActive()).isTrue();
				assertThat(count(jdbc, "select count(*) from posts")).isEqualTo(SEED_POSTS);
				assertThat(count(jdbc, "select count(*) from comments")).isEqualTo(comments);
			}
		}
	}

	private static ConfigurableApplicationContext start(String url) {
		// arguments, as on a command line: they override application.properties
		return new SpringApplicationBuilder(BlogApplication.class).listeners(new TakeTurnsUntilPrepared())
			.run("--server.port=0", "--spring.datasource.url=" + url, "--blog.seed.posts=" + SEED_POSTS);
	}

	private static long count(JdbcTemplate jdbc, String sql) {
		Long count = jdbc.queryForObject(sql, Long.class);
		return (count != null) ? count : 0;
	}

	private static final class TakeTurnsUntilPrepared implements SmartApplicationListener {

		private boolean holding;

		@Override
		public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
			return ApplicationStartingEvent.class.isAssignableFrom(eventType)
					|| ApplicationPreparedEvent.class.isAssignableFrom(eventType)
					|| ApplicationFailedEvent.class.isAssignableFrom(eventType);
		}

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (event instanceof ApplicationStartingEvent) {
				preparing.acquireUninterruptibly();
				this.holding = true;
			}
			else if (this.holding) {
				this.holding = false;
				preparing.release();
			}
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

}
