package io.github.kcawspack.scopepolicy.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;

/** Which grant a refreshed session is judged as. */
class SessionGrantTypeTest {

    private final AuthenticatedClientSessionModel clientSession = mock(AuthenticatedClientSessionModel.class);
    private final UserSessionModel userSession = mock(UserSessionModel.class);
    private final UserModel user = mock(UserModel.class);

    @Test
    void theNoteOfTheLoginDecides() {
        when(clientSession.getNote(SessionGrantType.NOTE)).thenReturn("password");
        when(clientSession.getUserSession()).thenReturn(userSession);
        when(userSession.getNote("aws_identity.arn")).thenReturn("arn:aws:iam::123456789012:role/deployer");

        assertThat(SessionGrantType.of(clientSession, user)).isEqualTo("password");
    }

    /** The aws_identity grant runs no required action, so it never writes the note; its principal note tells. */
    @Test
    void aSessionCarryingTheProvedAwsPrincipalIsAnAwsIdentitySession() {
        when(clientSession.getUserSession()).thenReturn(userSession);
        when(userSession.getNote("aws_identity.arn")).thenReturn("arn:aws:iam::123456789012:role/deployer");

        assertThat(SessionGrantType.of(clientSession, user)).isEqualTo("aws_identity");
    }

    @Test
    void otherwiseARefreshOfAnUnknownLogin() {
        when(clientSession.getUserSession()).thenReturn(userSession);

        assertThat(SessionGrantType.of(clientSession, user)).isEqualTo("refresh_token");
        assertThat(SessionGrantType.of(null, user)).isEqualTo("refresh_token");
    }
}
