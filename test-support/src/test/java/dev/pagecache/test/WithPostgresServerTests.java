package dev.pagecache.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

@WithPostgresServer
@SpringJUnitConfig(WithPostgresServerTests.Empty.class)
class WithPostgresServerTests {

	static PostgresServerProcess postgres;

	@Value("${spring.datasource.url}")
	String url;

	@Value("${spring.datasource.username}")
	String username;

	@Value("${spring.jpa.hibernate.ddl-auto}")
	String ddlAuto;

	@Test
	void serverIsRunningAndAssignedToTheStaticField() {
		assertThat(postgres).isNotNull();
		assertThat(postgres.isRunning()).isTrue();
	}

	@Test
	void applicationContextHasADatabaseOfItsOwnOnTheServer() throws Exception {
		assertThat(this.url).startsWith("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/test_");
		assertThat(this.ddlAuto).isEqualTo("create");
		try (Connection connection = DriverManager.getConnection(this.url, this.username, "");
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("select count(*) from pg_tables where schemaname = 'public'")) {
			assertThat(rows.next()).isTrue();
			assertThat(rows.getLong(1)).isZero();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
