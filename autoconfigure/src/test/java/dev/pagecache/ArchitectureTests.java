package dev.pagecache;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shape of the autoconfigure jar, checked on its compiled classes: packages without
 * cycles, an API that depends on no implementation, auto-configurations as Spring Boot
 * writes them, and a deliberate list of public types.
 */
class ArchitectureTests {

	private static final JavaClasses classes = new ClassFileImporter().importPath(Path.of("target/classes"));

	/**
	 * Every public type of the jar: the API, the store SPI, the auto-configurations and
	 * their properties, and the types Spring Boot's extension points need. A new public
	 * type is a decision: add it here.
	 */
	private static final Set<String> PUBLIC_TYPES = Set.of(
			// the API
			"dev.pagecache.CachePage", "dev.pagecache.PageCache", "dev.pagecache.PageTags",
			// the store SPI (a lookup's MissReason nested in PageLookup), its statistics
			// hooks (the FleetStatisticsStore nested in StatisticsPageStore) and the
			// in-process store
			"dev.pagecache.store.PageStore", "dev.pagecache.store.PageEntry", "dev.pagecache.store.PageLookup",
			"dev.pagecache.store.PageStoreUnavailableException", "dev.pagecache.store.StatisticsListener",
			"dev.pagecache.store.StatisticsPageStore", "dev.pagecache.store.InMemoryPageStore",
			// the edge purger SPI (its Purge and PurgeException nested in it)
			"dev.pagecache.edge.EdgePurger",
			// auto-configurations and their properties
			"dev.pagecache.autoconfigure.PageCacheProperties", "dev.pagecache.web.PageCacheAutoConfiguration",
			"dev.pagecache.redis.PageCacheRedisAutoConfiguration", "dev.pagecache.jpa.PageCacheJpaAutoConfiguration",
			"dev.pagecache.actuate.PageCacheActuatorAutoConfiguration",
			"dev.pagecache.edge.PageCacheEdgeAutoConfiguration",
			// beans an application may refer to, replace or read: the filter (its
			// registration's type), the
			// statistics, the meter binder, the endpoint, the Hibernate integration (its
			// statement inspector)
			"dev.pagecache.web.PageCacheFilter", "dev.pagecache.metrics.PageCacheStatistics",
			"dev.pagecache.metrics.FleetStatistics", "dev.pagecache.metrics.StatisticsSnapshot",
			"dev.pagecache.metrics.PageStatistics", "dev.pagecache.metrics.PageCacheMeterBinder",
			"dev.pagecache.actuate.PageCacheEndpoint", "dev.pagecache.jpa.HibernatePageCacheIntegration");

	private static final DescribedPredicate<JavaClass> IMPLEMENTATION = DescribedPredicate.describe(
			"are in an implementation package of pagecache",
			(type) -> type.getPackageName().startsWith("dev.pagecache."));

	@Test
	void packagesHaveNoCycles() {
		slices().matching("dev.pagecache.(*)..").should().beFreeOfCycles().check(classes);
	}

	@Test
	void apiDependsOnNoImplementationPackage() {
		noClasses().that()
			.resideInAPackage("dev.pagecache")
			.should()
			.dependOnClassesThat(IMPLEMENTATION)
			.check(classes);
	}

	@Test
	void storeSpiDependsOnlyOnTheApi() {
		noClasses().that()
			.resideInAPackage("dev.pagecache.store..")
			.should()
			.dependOnClassesThat(DescribedPredicate.describe("are in another implementation package",
					(JavaClass type) -> IMPLEMENTATION.test(type)
							&& !type.getPackageName().startsWith("dev.pagecache.store")))
			.check(classes);
	}

	@Test
	void autoConfigurationsArePublicFinalWithPackagePrivateBeanMethods() {
		classes().that()
			.areAnnotatedWith(AutoConfiguration.class)
			.should()
			.bePublic()
			.andShould()
			.haveModifier(JavaModifier.FINAL)
			.check(classes);
		methods().that().areAnnotatedWith(Bean.class).should().notBePublic().check(classes);
	}

	@Test
	void publicTypesAreTheDeliberateOnes() {
		Set<String> publicTypes = new TreeSet<>();
		for (JavaClass type : classes) {
			if (type.getModifiers().contains(JavaModifier.PUBLIC) && type.isTopLevelClass()) {
				publicTypes.add(type.getName());
			}
		}
		assertThat(publicTypes).containsExactlyInAnyOrderElementsOf(PUBLIC_TYPES).hasSizeLessThanOrEqualTo(25);
	}

}
