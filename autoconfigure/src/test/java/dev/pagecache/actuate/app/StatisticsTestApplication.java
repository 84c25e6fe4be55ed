package dev.pagecache.actuate.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small application with {@code @CachePage} handlers, for tests of the statistics over
 * HTTP.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class StatisticsTestApplication {

}
