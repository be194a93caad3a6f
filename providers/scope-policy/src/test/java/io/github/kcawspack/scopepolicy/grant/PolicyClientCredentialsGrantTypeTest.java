package io.github.kcawspack.scopepolicy.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;

/** Which of Keycloak's client-credentials refusals are re-issued with RFC 6749 section 5.2's 400. */
class PolicyClientCredentialsGrantTypeTest {

    @Test
    void unauthorizedClientWith401IsReissued() {
        assertThat(PolicyClientCredentialsGrantType.isUnauthorizedClientAs401(
                answer(401, "unauthorized_client"))).isTrue();
    }

    @Test
    void otherRefusalsKeepTheirStatus() {
        assertThat(PolicyClientCredentialsGrantType.isUnauthorizedClientAs401(answer(400, "unauthorized_client"))).isFalse();
        assertThat(PolicyClientCredentialsGrantType.isUnauthorizedClientAs401(answer(401, "invalid_client"))).isFalse();
        assertThat(PolicyClientCredentialsGrantType.isUnauthorizedClientAs401(answer(401, "invalid_request")))
                .as("a missing or disabled service-account user").isFalse();
        assertThat(PolicyClientCredentialsGrantType.isUnauthorizedClientAs401(null)).isFalse();
    }

    private static Response answer(int status, String error) {
        Response answer = mock(Response.class);
        when(answer.getStatus()).thenReturn(status);
        when(answer.getEntity()).thenReturn(new OAuth2ErrorRepresentation(error, "some description"));
        return answer;
    }
}
