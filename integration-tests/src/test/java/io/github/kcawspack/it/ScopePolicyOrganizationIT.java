package io.github.kcawspack.it;

import static io.github.kcawspack.it.harness.PolicyRealm.ALICE;
import static io.github.kcawspack.it.harness.PolicyRealm.BOB;
import static io.github.kcawspack.it.harness.PolicyRealm.words;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.kcawspack.it.harness.Injected;
import io.github.kcawspack.it.harness.KeycloakExtension;
import io.github.kcawspack.it.harness.OAuthClient.Answer;
import io.github.kcawspack.it.harness.PolicyRealm;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.representations.idm.OrganizationRepresentation;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13, case 4: scope words are judged as the client scope Keycloak resolves them to. With
 * organizations on, {@code organization}, {@code organization:acme} and {@code organization:*} all
 * resolve to the built-in client scope {@code organization} (its mapper puts the {@code
 * organization} claim in the tokens), so a rule on {@code organization} holds for all three.
 * bob and alice are members of organization acme; only alice has realm role writer.
 *
 * <p>Dynamic scopes ({@code name:param}, feature {@code dynamic-scopes}, in 26.7
 * {@code parameterized-scopes}) are tested in {@link ScopePolicyParameterizedScopeIT}, on a server
 * of its own: a feature is switched on for the whole server at start, and the suite shares one.
 */
@ExtendWith(KeycloakExtension.class)
@PolicyRealm.Options(prefix = "orgs", organizations = true)
class ScopePolicyOrganizationIT {

    private static final String ORGANIZATION_CLAIM = "organization";
    private static final String FILTER = "{\"mode\": \"filter\", \"rules\": [{\"scope\": \"organization\", \"realmRoles\": [\"writer\"]}]}";
    private static final String REJECT = "{\"mode\": \"reject\", \"rules\": [{\"scope\": \"organization\", \"realmRoles\": [\"writer\"]}]}";

    @Injected
    PolicyRealm realm;

    @BeforeAll
    static void createOrganizationAcme(PolicyRealm realm) {
        OrganizationRepresentation organization = PolicyRealm.read("""
                {"name": "acme", "alias": "acme", "enabled": true, "domains": [{"name": "acme.example"}]}
                """, OrganizationRepresentation.class);
        String acme;
        try (var created = realm.realm().organizations().create(organization)) {
            acme = CreatedResponseUtil.getCreatedId(created);
        }
        for (String member : new String[] {BOB, ALICE}) {
            try (var added = realm.realm().organizations().get(acme).members().addMember(realm.userId(member))) {
                assertThat(added.getStatus()).as("%s made a member of acme", member).isEqualTo(201);
            }
        }
    }

    @ParameterizedTest(name = "bob asking \"{0}\" gets no organization scope and no organization claim")
    @ValueSource(strings = {"organization", "organization:acme", "organization:*"})
    void inFilterModeBobGetsNoOrganizationScopeWhicheverWordHeAsksWith(String word) throws Exception {
        realm.policy(FILTER);

        Answer bob = realm.password(BOB, "openid " + word);

        assertThat(bob.status()).as(bob.toString()).isEqualTo(200);
        JWTClaimsSet access = realm.tokens().verify(bob.text("access_token"));
        JWTClaimsSet id = realm.tokens().verify(bob.text("id_token"));
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(words(bob.text("scope"))).as("response scope").contains("openid")
                .noneMatch(granted -> granted.startsWith("organization"));
        softly.assertThat(words(access.getStringClaim("scope"))).as("access token's scope")
                .noneMatch(granted -> granted.startsWith("organization"));
        softly.assertThat(access.getClaims()).as("access token's claims").doesNotContainKey(ORGANIZATION_CLAIM);
        softly.assertThat(id.getClaims()).as("ID token's claims").doesNotContainKey(ORGANIZATION_CLAIM);
        softly.assertAll();
    }

    @ParameterizedTest(name = "alice asking \"{0}\" gets the organization scope and acme in the claim")
    @ValueSource(strings = {"organization", "organization:acme", "organization:*"})
    void inFilterModeAliceGetsTheOrganizationScope(String word) throws Exception {
        realm.policy(FILTER);

        Answer alice = realm.password(ALICE, "openid " + word);

        assertThat(alice.status()).as(alice.toString()).isEqualTo(200);
        assertThat(words(alice.text("scope"))).contains(word);
        assertThat(realm.tokens().verify(alice.text("access_token")).getClaim(ORGANIZATION_CLAIM))
                .as("the organization claim").asString().contains("acme");
    }

    @ParameterizedTest(name = "bob asking \"{0}\" is refused with invalid_scope")
    @ValueSource(strings = {"organization", "organization:acme", "organization:*"})
    void inRejectModeBobIsRefusedWhicheverWordHeAsksWith(String word) {
        realm.policy(REJECT);

        Answer bob = realm.password(BOB, "openid " + word);

        assertThat(bob.status()).as(bob.toString()).isEqualTo(400);
        assertThat(bob.text("error")).isEqualTo("invalid_scope");
        assertThat(bob.json().has("access_token")).isFalse();
        assertThat(realm.password(ALICE, "openid " + word).status()).as("alice, a writer, is not refused").isEqualTo(200);
    }
}
