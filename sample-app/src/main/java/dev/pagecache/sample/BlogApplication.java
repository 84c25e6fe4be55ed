package dev.pagecache.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.autoconfigure.init.SqlInitializationProperties;

/**
 * The sample blog: public pages cached whole with {@code @CachePage}, an admin area
 * behind a form login.
 *
 * @author pagecache
 */
@SpringBootApplication
@EnableConfigurationProperties({ BlogProperties.class, SqlInitializationProperties.class })
public class BlogApplication {

	public static void main(String[] args) {
		SpringApplication.run(BlogApplication.class, args);
	}

}
