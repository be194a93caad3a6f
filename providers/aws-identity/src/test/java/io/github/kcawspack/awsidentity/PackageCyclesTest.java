package io.github.kcawspack.awsidentity;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The JAR's packages follow one request without a cycle: {@code grant} (the Keycloak adapter)
 * uses {@code settings} and {@code verify}; {@code verify} uses {@code sts} and {@code principal};
 * the root package holds only what several of them throw or call ({@link AwsIdentityRejection},
 * {@link ProviderLinkage}) and uses none of them. Main classes only.
 */
class PackageCyclesTest {

    private static final String ROOT = "io.github.kcawspack.awsidentity";

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void subpackagesAreFreeOfCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
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
