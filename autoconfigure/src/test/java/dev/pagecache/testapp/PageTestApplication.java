package dev.pagecache.testapp;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small application with {@code @CachePage} handlers, for tests over HTTP.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class PageTestApplication {

}
