package io.github.kcawspack.clientauth;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The JAR is one package today; should it grow subpackages, they stay free of cycles and the root
 * package depends on none of them. Main classes only.
 */
class PackageCyclesTest {

    private static final String ROOT = "io.github.kcawspack.clientauth";

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void subpackagesAreFreeOfCycles() {
        // No subpackage yet, so no slice: an empty rule passes instead of failing.
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().allowEmptyShould(true).check(MAIN);
    }

    /** The slices above leave the root package out: a cycle through it is caught here instead. */
    @Test
    void theRootPackageDependsOnNoSubpackage() {
        noClasses().that().resideInAPackage(ROOT)
                .should().dependOnClassesThat(inASubpackage())
                .check(MAIN);
    }

    private static DescribedPredicate<JavaClass> inASubpackage() {
        return DescribedPredicate.describe("reside in a subpackage of " + ROOT,
                javaClass -> javaClass.getPackageName().startsWith(ROOT + "."));
    }
}
