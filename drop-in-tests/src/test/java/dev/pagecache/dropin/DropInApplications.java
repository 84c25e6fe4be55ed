package dev.pagecache.dropin;

import java.util.concurrent.atomic.AtomicInteger;

import dev.pagecache.CachePage;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Applications as their developers write them, with every auto-configuration of their
 * class path: one with Spring Cache, one that talks to Redis with beans of its own, one
 * with neither. Each has a {@code @CachePage} page.
 */
public final class DropInApplications {

	private DropInApplications() {
	}

	/** An application with Spring Cache, whichever provider its class path has. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableCaching
	@Import({ OwnerService.class, OwnerController.class })
	static class SpringCacheApplication {

	}

	/** An application with a Redis connection factory and template of its own. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableCaching
	@Import(OwnerController.class)
	static class OwnRedisApplication {

		@Bean
		LettuceConnectionFactory ownConnectionFactory(Environment environment) {
			return new LettuceConnectionFactory(
					new RedisStandaloneConfiguration(environment.getRequiredProperty("spring.data.redis.host"),
							environment.getRequiredProperty("spring.data.redis.port", Integer.class)));
		}

		@Bean
		StringRedisTemplate ownTemplate(LettuceConnectionFactory ownConnectionFactory) {
			return new StringRedisTemplate(ownConnectionFactory);
		}

	}

	/** An application with neither Spring Cache nor Redis of its own. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(OwnerController.class)
	static class PlainApplication {

	}

	/** A service whose answers Spring Cache keeps. */
	public static class OwnerService {

		private final AtomicInteger calls = new AtomicInteger();

		/**
		 * How often the method ran.
		 * @return the number of calls that were not answered from the cache
		 */
		public int calls() {
			return this.calls.get();
		}

		/**
		 * An owner, looked up once per id.
		 * @param id the owner's id
		 * @return the owner
		 */
		@Cacheable("owners")
		public String owner(int id) {
			this.calls.incrementAndGet();
			return "owner " + id;
		}

	}

	@RestController
	static class OwnerController {

		@CachePage
		@GetMapping("/owners/{id}")
		String owner(@PathVariable int id) {
			return "owner " + id;
		}

	}

}
