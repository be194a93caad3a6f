package io.github.kcawspack.it.harness;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an instance field of a test class for {@link KeycloakExtension} to fill before each test,
 * by the field's type: {@link KeycloakServer}, {@link io.github.kcawspack.it.fakests.FakeSts},
 * {@link CibaChannel}, Keycloak's admin client {@code org.keycloak.admin.client.Keycloak}, or an
 * {@link OAuthClient} / {@link TokenVerifier} / {@link LoginPage} for the demo realm
 * ({@link KeycloakExtension#DEMO_REALM}). The field injection of Keycloak's own test framework
 * ({@code @InjectOAuthClient}), for this harness's one server per run.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Injected {
}
