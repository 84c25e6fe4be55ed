package dev.pagecache.sample;

import java.nio.file.Path;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The sample blog uses pagecache as any application would: through its public API only.
 */
class ArchitectureTests {

	private static final JavaClasses classes = new ClassFileImporter().importPath(Path.of("target/classes"));

	@Test
	void sampleUsesOnlyThePublicApi() {
		noClasses().should()
			.dependOnClassesThat(DescribedPredicate.describe("are pagecache's implementation",
					(JavaClass type) -> type.getPackageName().startsWith("dev.pagecache.")
							&& !type.getPackageName().startsWith("dev.pagecache.sample")))
			.check(classes);
	}

}
