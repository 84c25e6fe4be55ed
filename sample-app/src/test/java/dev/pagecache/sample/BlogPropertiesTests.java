package dev.pagecache.sample;

import dev.pagecache.test.ExpectedLogs;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blog's own settings fail start-up, naming the property, when they cannot work.
 *
 * @author pagecache
 */
@ExpectedLogs(failedStartups = true, because = "invalid blog.page-size values fail start-up")
class BlogPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
		.withUserConfiguration(Settings.class);

	@ParameterizedTest
	@ValueSource(strings = { "0", "-3", "101" })
	void pageSizeOutsideOneToAHundredFailsStartUp(String pageSize) {
		this.runner.withPropertyValues("blog.page-size=" + pageSize).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("blog.page-size");
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "1", "10", "100" })
	void pageSizeFromOneToAHundredIsTaken(String pageSize) {
		this.runner.withPropertyValues("blog.page-size=" + pageSize)
			.run((context) -> assertThat(context.getBean(BlogProperties.class).getPageSize())
				.isEqualTo(Integer.parseInt(pageSize)));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(BlogProperties.class)
	static class Settings {

	}

}
