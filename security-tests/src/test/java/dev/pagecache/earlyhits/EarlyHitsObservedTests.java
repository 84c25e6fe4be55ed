package dev.pagecache.earlyhits;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import dev.pagecache.test.WithRedisServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authorization.AuthorizationObservationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tests of {@link EarlyHitsTests} on its shared application again (those that start
 * an application of their own start it as before), with Security observing its
 * authorizations (an {@link ObservationRegistry} with a handler, as Micrometer's tracing
 * or metrics install): its authorization managers are then wrapped, and the early hit
 * decides with the manager inside the wrapper, no less strictly, and without an
 * observation.
 */
@SpringBootTest(classes = { EarlyHitApplication.class, EarlyHitsObservedTests.Observed.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "pagecache.filter.placement=${early-hits.placement:auto}",
				// no refresh renders a page of the tests before in the background
				"pagecache.refresh-ahead.enabled=false" })
@WithRedisServer
class EarlyHitsObservedTests extends EarlyHitsTests {

	@Autowired
	Observed observed;

	@Test
	void authorizationIsObservedOnARenderAndNotOnAnEarlyHit() {
		int before = this.observed.authorizations.get();
		assertThat(result(get(this.port, "/articles/31"))).isEqualTo("MISS");
		assertThat(this.observed.authorizations.get()).as("the render passed the chain, observed")
			.isGreaterThan(before);
		int afterRender = this.observed.authorizations.get();
		assertThat(result(get(this.port, "/articles/31"))).isEqualTo("HIT");
		assertThat(this.observed.authorizations.get()).as("the early hit made no observation").isEqualTo(afterRender);
	}

	/**
	 * An observation registry whose handler counts Security's authorizations.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class Observed {

		final AtomicInteger authorizations = new AtomicInteger();

		@Bean
		ObservationRegistry observationRegistry() {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(new ObservationHandler<>() {

				@Override
				public boolean supportsContext(Observation.Context context) {
					return true;
				}

				@Override
				public void onStart(Observation.Context context) {
					if (context instanceof AuthorizationObservationContext<?>) {
						Observed.this.authorizations.incrementAndGet();
					}
				}

			});
			return registry;
		}

	}

}
