package dev.pagecache.reflecting;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application whose cached pages reflect their request the way real applications do:
 * links built from the request (with forwarded headers honoured when the test turns
 * {@code ForwardedHeaderFilter} on), the locale, the user agent, headers a diagnostic
 * footer prints, the query string, a body, the client address. Poisoning tests send a
 * canary in each input and check that it never reaches a clean request.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class ReflectingApplication {

}
