package io.github.kcawspack.linkage;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a provider method that must override a method of a Keycloak supertype in the running
 * server, because Keycloak reaching it is what the provider relies on (an entry point, a security
 * check). {@code @Override} is checked by javac against the Keycloak the pack is compiled
 * against; this is checked at start against the Keycloak that runs ({@link LinkageCheck}): if
 * that Keycloak renamed or removed the method, it would silently never be called.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface KeycloakOverride {
}
