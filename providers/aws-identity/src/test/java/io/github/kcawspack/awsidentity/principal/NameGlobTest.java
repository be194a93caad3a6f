package io.github.kcawspack.awsidentity.principal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NameGlobTest {

    @ParameterizedTest(name = "{0} matches {1}")
    @CsvSource({
            "*, deployer",
            "*, ''",
            "deployer, deployer",
            "deploy*, deployer",
            "deploy*, deploy",
            "*er, deployer",
            "d*r, deployer",
            "*ploy*, deployer",
            "d?ployer, deployer",
            "????????, deployer",
            "ci-*-prod, ci-web-prod",
            "ci-*-prod, ci--prod",
            "a*b*c, aXbYbZc",
            "*a*a*a*a*b, aaaaaaaaaaaaaaaaaaaab",
            "**, x",
            "app.role, app.role",
            "a+b, a+b",
            "[ab], [ab]",
            "a\\d, a\\d",
            "(x|y), (x|y)",
            "^x$, ^x$",
            "x{2}, x{2}",
            "user@example.com, user@example.com",
    })
    void matches(String pattern, String name) {
        assertThat(new NameGlob(pattern).matches(name)).isTrue();
    }

    @ParameterizedTest(name = "{0} does not match {1}")
    @CsvSource({
            "deployer, deployerx",
            "deployer, xdeployer",
            "deployer, Deployer",
            "deploy*, deplo",
            "*er, deployed",
            "d?ployer, dployer",
            "d?ployer, deeployer",
            "????????, deployers",
            "?, ''",
            "ci-*-prod, ci-web-prod-2",
            "a*b*c, aXbYbZ",
            "*a*a*a*a*b, aaaaaaaaaaaaaaaaaaaa",
            "app.role, appXrole",
            "a+b, aab",
            "a+b, ab",
            "[ab], a",
            "a\\d, a1",
            "(x|y), x",
            "^x$, x",
            "x{2}, xx",
            "'', x",
    })
    void doesNotMatch(String pattern, String name) {
        assertThat(new NameGlob(pattern).matches(name)).isFalse();
    }
}
