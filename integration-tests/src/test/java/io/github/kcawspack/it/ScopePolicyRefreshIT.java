package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.PolicyRealm.WRITER;
import static io.github.kcawspack.it.harness.PolicyRealm.WRITE_CLAIM;
import static io.github.kcawspack.it.harness.PolicyRealm.unverifiedClaims;
import static io.github.kcawspack.it.harness.PolicyRealm.words;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyRealm;
import java.text.ParseException;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13, case 3: a refresh after the user lost the role that admitted a scope. Every token and
 * answer of the refresh agrees that the scope is withheld: the new access token, the ID token (no
 * claim of write's mapper), the response's {@code scope} and the new refresh token's {@code scope}
 * claim, online and offline. Policy: write needs realm role writer, mode filter.
 */
@ExtendWith(KeycloakExtension.class)
@PolicyRealm.Options(prefix = "refresh")
class ScopePolicyRefreshIT {

    @Injected
    PolicyRealm realm;

    @Test
    void anOfflineRefreshAfterTheRoleWasRemovedLeavesWriteOutOfEveryTokenAndTheResponse() throws Exception {
        String writer = realm.createWriter("offline");
        Answer first = realm.password(writer, "openid write offline_access");
        assertHasWrite(first);
        assertThat(unverifiedClaims(first.text("refresh_token")).getStringClaim("typ")).isEqualTo("Offline");

        realm.revokeRealmRole(realm.userId(writer), WRITER);
        Answer refreshed = realm.refresh(first.text("refresh_token"));

        assertWithoutWrite(refreshed, "openid", "offline_access");
        assertThat(unverifiedClaims(refreshed.text("refresh_token")).getStringClaim("typ")).isEqualTo("Offline");
    }

    @Test
    void anOnlineRefreshAfterTheRoleWasRemovedLeavesWriteOutOfEveryTokenAndTheResponse() throws Exception {
        String writer = realm.createWriter("online");
        Answer first = realm.password(writer, "openid write");
        assertHasWrite(first);

        realm.revokeRealmRole(realm.userId(writer), WRITER);
        Answer refreshed = realm.refresh(first.text("refresh_token"));

        assertWithoutWrite(refreshed, "openid");
    }

    /**
     * The narrowed refresh token carries the narrowed scope, so giving the role back does not
     * bring write back through refreshes of it (a refresh can only narrow, RFC 6749 section 6);
     * the user gets write again by logging in again.
     */
    @Test
    void writeDoesNotComeBackByRefreshWhenTheRoleIsGivenBack() throws Exception {
        String writer = realm.createWriter("regained");
        String userId = realm.userId(writer);
        Answer first = realm.password(writer, "openid write offline_access");
        assertHasWrite(first);
        realm.revokeRealmRole(userId, WRITER);
        Answer narrowed = realm.refresh(first.text("refresh_token"));
        assertWithoutWrite(narrowed, "openid", "offline_access");

        realm.grantRealmRole(userId, WRITER);
        Answer later = realm.refresh(narrowed.text("refresh_token"));

        assertWithoutWrite(later, "openid", "offline_access");
        assertHasWrite(realm.password(writer, "openid write offline_access"));
    }

    /** The login gave write: in the response, the access token, the ID token and the refresh token. */
    private void assertHasWrite(Answer answer) throws ParseException {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(words(answer.text("scope"))).as("response scope").contains("write");
        softly.assertThat(realm.tokens().verify(answer.text("access_token")).getBooleanClaim(WRITE_CLAIM))
                .as("access token's %s", WRITE_CLAIM).isTrue();
        softly.assertThat(realm.tokens().verify(answer.text("id_token")).getBooleanClaim(WRITE_CLAIM))
                .as("ID token's %s", WRITE_CLAIM).isTrue();
        softly.assertThat(words(unverifiedClaims(answer.text("refresh_token")).getStringClaim("scope")))
                .as("refresh token's scope").contains("write");
        softly.assertAll();
    }

    /**
     * A refresh that succeeded without write anywhere: the response's scope, the new access
     * token (scope and claim), the ID token (claim) and the new refresh token's scope; {@code kept}
     * are words that must still be there.
     */
    private void assertWithoutWrite(Answer answer, String... kept) throws ParseException {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JWTClaimsSet access = realm.tokens().verify(answer.text("access_token"));
        assertThat(answer.text("id_token")).as("an ID token, since openid was granted").isNotNull();
        JWTClaimsSet id = realm.tokens().verify(answer.text("id_token"));
        JWTClaimsSet refresh = unverifiedClaims(answer.text("refresh_token"));

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(words(answer.text("scope"))).as("response scope (RFC 6749 section 3.3)")
                .contains(kept).doesNotContain("write");
        softly.assertThat(words(access.getStringClaim("scope"))).as("access token's scope")
                .contains(kept).doesNotContain("write");
        softly.assertThat(access.getClaims()).as("access token's claims").doesNotContainKey(WRITE_CLAIM);
        softly.assertThat(id.getClaims()).as("ID token's claims").doesNotContainKey(WRITE_CLAIM);
        softly.assertThat(words(refresh.getStringClaim("scope"))).as("new refresh token's scope")
                .contains(kept).doesNotContain("write");
        softly.assertAll();
    }
}
