package io.github.kcawspack.awsidentity.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.github.kcawspack.awsidentity.settings.WebIdentityIssuer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.keys.PublicKeyLoader;
import org.keycloak.keys.PublicKeyStorageProvider;
import org.keycloak.models.KeycloakSession;

/**
 * Rule under test: while an issuer's key set cannot be fetched, at most one fetch is tried per
 * retry interval; the other requests are answered "unavailable" without a fetch; a failure that is
 * not "could not fetch" (a bug) is not turned into "unavailable". Keycloak's storage is stood in
 * for by what it does with a key it has not cached: call the loader, wrapping what it throws.
 */
class IssuerKeysTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final WebIdentityIssuer ISSUER = new WebIdentityIssuer("https://issuer.example/aws", "111122223333",
            List.of(), Duration.ofHours(1));

    private Instant now = Instant.parse("2026-12-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    };
    private final IssuerKeys keys = new IssuerKeys(clock, INTERVAL);
    private final KeycloakSession session = mock(KeycloakSession.class);
    private final HttpClientProvider http = mock(HttpClientProvider.class);
    private final AtomicInteger fetches = new AtomicInteger();

    IssuerKeysTest() throws IOException {
        PublicKeyStorageProvider storage = mock(PublicKeyStorageProvider.class);
        when(storage.getPublicKey(anyString(), anyString(), anyString(), any())).thenAnswer(call -> {
            PublicKeyLoader loader = call.getArgument(3);
            try {
                return loader.loadKeys().getKeyByKidAndAlg(call.getArgument(1), call.getArgument(2));
            } catch (Exception e) {
                throw new RuntimeException("Error when loading public keys", new ExecutionException(e));
            }
        });
        when(session.getProvider(PublicKeyStorageProvider.class)).thenReturn(storage);
        when(session.getProvider(HttpClientProvider.class)).thenReturn(http);
    }

    @Test
    void whileTheIssuerIsDownOneFetchIsTriedPerInterval() throws IOException {
        when(http.getString(anyString())).thenAnswer(call -> {
            fetches.incrementAndGet();
            throw new IOException("Unexpected response from server: 503, body the issuer wrote");
        });

        for (int i = 0; i < 20; i++) {
            String kid = "unknown-" + i;
            assertThatThrownBy(() -> keys.key(session, ISSUER, kid, "RS256"))
                    .isInstanceOf(IssuerKeys.KeysUnavailableException.class)
                    .hasMessageNotContaining("body the issuer wrote");
            now = now.plusMillis(100);
        }
        assertThat(fetches.get()).as("fetch attempts in the first interval").isEqualTo(1);

        now = now.plus(INTERVAL);
        assertThatThrownBy(() -> keys.key(session, ISSUER, "unknown-again", "RS256"))
                .isInstanceOf(IssuerKeys.KeysUnavailableException.class);
        assertThatThrownBy(() -> keys.key(session, ISSUER, "unknown-again", "RS256"))
                .isInstanceOf(IssuerKeys.KeysUnavailableException.class);
        assertThat(fetches.get()).as("one more once the interval has passed").isEqualTo(2);
    }

    @Test
    void aBugIsNotAnOutage() throws IOException {
        when(http.getString(anyString())).thenThrow(new IllegalStateException("a bug"));

        assertThatThrownBy(() -> keys.key(session, ISSUER, "kid", "RS256"))
                .isNotInstanceOf(IssuerKeys.KeysUnavailableException.class)
                .hasRootCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void anIssuerThatAnswersSomethingElseCountsAsDown() throws IOException {
        when(http.getString(anyString())).thenReturn("{\"issuer\":\"https://someone-else.example\"}");

        assertThatThrownBy(() -> keys.key(session, ISSUER, "kid", "RS256"))
                .isInstanceOf(IssuerKeys.KeysUnavailableException.class);
    }
}
