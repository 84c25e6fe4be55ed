package dev.pagecache.testing;

import dev.pagecache.PageCache;
import dev.pagecache.autoconfigure.PageCacheProperties.StoreType;
import dev.pagecache.test.RedisServerProcess;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.MockMvc;

import static dev.pagecache.testing.PageCacheResultMatchers.pageCache;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * The Redis page store connects where a {@link DataRedisConnectionDetails} bean points,
 * as Testcontainers' {@code @ServiceConnection} defines one, even when
 * {@code spring.data.redis.*} says otherwise. No Docker runs here: the bean points at a
 * real redis-server process that the test starts.
 */
@WebMvcTest(controllers = PostsApplication.PostController.class,
		properties = { "spring.data.redis.host=localhost", "spring.data.redis.port=1", "pagecache.redis.timeout=5s",
				"pagecache.redis.connect-timeout=5s" })
@AutoConfigurePageCache(store = StoreType.REDIS)
@ImportAutoConfiguration(DataRedisAutoConfiguration.class)
@DirtiesContext
class ServiceConnectionTests {

	static final RedisServerProcess redis = RedisServerProcess.start();

	@Autowired
	MockMvc mvc;

	@Autowired
	PageCache cache;

	@Test
	void pagesAreStoredInTheRedisOfTheConnectionDetails() throws Exception {
		this.cache.clear();
		this.mvc.perform(get("/posts/5")).andExpect(pageCache().miss());
		this.mvc.perform(get("/posts/5")).andExpect(pageCache().hit()).andExpect(pageCache().dependsOn("Post#5"));
		assertThat(Long.parseLong(redis.command("DBSIZE").replaceAll("\\D", ""))).isPositive();
		assertThat(redis.command("CLIENT", "LIST")).contains("name=pagecache");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ServiceConnection {

		/**
		 * The server, stopped with the context: after the connections that depend on it,
		 * which would otherwise try to reconnect to it while the context closes.
		 */
		@Bean(destroyMethod = "close")
		RedisServerProcess redisServer() {
			return redis;
		}

		@Bean
		DataRedisConnectionDetails redisConnectionDetails(RedisServerProcess redisServer) {
			return new DataRedisConnectionDetails() {

				@Override
				public Standalone getStandalone() {
					return Standalone.of(redisServer.getHost(), redisServer.getPort());
				}

			};
		}

	}

}
