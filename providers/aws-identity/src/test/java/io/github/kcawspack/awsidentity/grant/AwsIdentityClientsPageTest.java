package io.github.kcawspack.awsidentity.grant;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/** What the console page refuses to save. */
class AwsIdentityClientsPageTest {

    private final RealmModel realm = mock(RealmModel.class);
    private final AwsIdentityClientsPage page = new AwsIdentityClientsPage();

    @Test
    void anItemNeedsAClientId() {
        when(realm.getId()).thenReturn("realm-id");
        ComponentModel empty = ClientSwitchTest.item(" ");

        assertThatThrownBy(() -> page.validateConfiguration(mock(KeycloakSession.class), realm, empty))
                .isInstanceOf(ComponentValidationException.class).hasMessageContaining("Client ID is required");
    }

    @Test
    void aClientGetsOneItem() {
        when(realm.getId()).thenReturn("realm-id");
        when(realm.getComponentsStream("realm-id", AwsIdentityClientsPage.COMPONENT_TYPE))
                .thenAnswer(call -> Stream.of(ClientSwitchTest.item("aws-workload")));
        ComponentModel second = ClientSwitchTest.item("aws-workload");
        second.setId("another-id");

        assertThatThrownBy(() -> page.validateConfiguration(mock(KeycloakSession.class), realm, second))
                .isInstanceOf(ComponentValidationException.class).hasMessageContaining("already");
    }

    @Test
    void savingTheSameItemAgainIsAccepted() {
        when(realm.getId()).thenReturn("realm-id");
        ComponentModel item = ClientSwitchTest.item("aws-workload");
        when(realm.getComponentsStream("realm-id", AwsIdentityClientsPage.COMPONENT_TYPE)).thenAnswer(call -> Stream.of(item));

        assertThatCode(() -> page.validateConfiguration(mock(KeycloakSession.class), realm, item)).doesNotThrowAnyException();
    }
}
