package io.github.kcawspack.example.resourceserver;

import java.util.Collection;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2TokenIntrospectionClaimNames;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.SpringOpaqueTokenIntrospector;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Which token may call which endpoint, and how a token is checked.
 *
 * <p>The scope rules are the tutorials': django-oauth-toolkit's {@code /users/} (its
 * {@code TokenHasReadWriteScope}: GET needs {@code read}, POST needs {@code write}) and
 * {@code /groups/} ({@code TokenHasScope}, {@code groups}); DJOAuth2's {@code /api/user_info/}
 * ({@code user_info}). Anything else is refused. A missing or bad token gets 401, a good token
 * without the scope 403 {@code insufficient_scope} (RFC 6750 section 3.1).
 */
@Configuration
class SecurityConfiguration {

    /** Keycloak's {@code typ} claim of an access token; ID, refresh and logout tokens carry others. */
    private static final String ACCESS_TOKEN_TYPE = "Bearer";

    @Bean
    SecurityFilterChain api(HttpSecurity http, DemoApiSettings settings) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.GET, "/users/").hasAuthority("SCOPE_read")
                        .requestMatchers(HttpMethod.POST, "/users/").hasAuthority("SCOPE_write")
                        .requestMatchers(HttpMethod.GET, "/groups/").hasAuthority("SCOPE_groups")
                        .requestMatchers(HttpMethod.GET, "/api/user_info/").hasAuthority("SCOPE_user_info")
                        .anyRequest().denyAll())
                // Bearer tokens only: no cookies, so no session and nothing for CSRF to ride on.
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .oauth2ResourceServer(resourceServer -> {
                    if (settings.validation() == DemoApiSettings.Validation.JWT) {
                        resourceServer.jwt(Customizer.withDefaults());
                    } else {
                        resourceServer.opaqueToken(Customizer.withDefaults());
                    }
                });
        return http.build();
    }

    /**
     * Offline validation: the signature against the realm's JWKS (fetched on first use and again
     * for an unknown key id, so key rotation needs no restart), then {@code exp}/{@code nbf}
     * (with the configured skew), {@code iss}, {@code aud} and {@code typ}. Revocation and
     * logout are invisible here: a token stays valid until it expires.
     */
    @Bean
    JwtDecoder jwtDecoder(DemoApiSettings settings) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(settings.jwkSetUri()).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<Jwt>(
                new JwtTimestampValidator(settings.clockSkew()),
                new JwtIssuerValidator(settings.issuer()),
                new JwtAudienceValidator(settings.audience()),
                new JwtClaimValidator<String>("typ", ACCESS_TOKEN_TYPE::equals)));
        return decoder;
    }

    /**
     * Introspection (RFC 7662) as client {@code demo-api}: Keycloak answers {@code active: true}
     * only for a token that is unexpired, unrevoked, of a live session (or a transient one, as
     * {@code client_credentials} and {@code aws_identity} tokens have) and whose audience names
     * the asking client. The audience and the token type are checked here again so that a server
     * set to introspect without audience check (Keycloak's backwards-compatibility option) does
     * not widen what this API accepts.
     */
    @Bean
    OpaqueTokenIntrospector introspector(DemoApiSettings settings) {
        OpaqueTokenIntrospector keycloak = SpringOpaqueTokenIntrospector.withIntrospectionUri(settings.introspectionUri())
                .clientId(settings.clientId())
                .clientSecret(settings.clientSecret())
                .build();
        return token -> {
            OAuth2AuthenticatedPrincipal principal = keycloak.introspect(token);
            if (!audiences(principal).contains(settings.audience())) {
                throw new BadOpaqueTokenException("The token is not for this API");
            }
            if (!ACCESS_TOKEN_TYPE.equals(principal.getAttribute(OAuth2TokenIntrospectionClaimNames.TOKEN_TYPE))) {
                throw new BadOpaqueTokenException("Not an access token");
            }
            return principal;
        };
    }

    private static Collection<?> audiences(OAuth2AuthenticatedPrincipal principal) {
        Object audience = principal.getAttribute(OAuth2TokenIntrospectionClaimNames.AUD);
        if (audience instanceof Collection<?> many) {
            return many;
        }
        return audience == null ? List.of() : List.of(audience);
    }
}
