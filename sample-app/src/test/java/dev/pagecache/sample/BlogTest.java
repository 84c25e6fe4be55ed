package dev.pagecache.sample;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

/**
 * The blog on a random port with a small seed and known admin credentials. Every test
 * class uses the same settings, so they share one application (and one database): tests
 * work on posts of their own.
 * <p>
 * Refresh-ahead is off: these tests assert which request rendered a page (a {@code MISS}
 * for the first reader after a write), and refresh-ahead, on by default, renders hot
 * pages again in the background at a time a test cannot follow. The blog with
 * refresh-ahead on is {@link RefreshAheadTests}'s.
 *
 * @author pagecache
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "blog.seed.posts=40", "blog.admin.username=editor", "blog.admin.password=correct-horse-battery",
				"pagecache.refresh-ahead.enabled=false" })
@Import(SessionCounter.class)
@interface BlogTest {

	String USERNAME = "editor";

	String PASSWORD = "correct-horse-battery";

}
