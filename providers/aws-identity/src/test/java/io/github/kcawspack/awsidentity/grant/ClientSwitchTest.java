package io.github.kcawspack.awsidentity.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowBindings;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/** The per-client switch: an item on the console page, or a client still configured the old way. */
class ClientSwitchTest {

    private final RealmModel realm = mock(RealmModel.class);
    private final ClientModel client = mock(ClientModel.class);
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final ClientSwitch clientSwitch = new ClientSwitch(warned);

    static ComponentModel item(String clientId) {
        ComponentModel item = new ComponentModel();
        item.setId("item-" + clientId);
        item.setProviderType(AwsIdentityClientsPage.COMPONENT_TYPE);
        item.setProviderId(AwsIdentityClientsPage.ID);
        item.getConfig().putSingle(AwsIdentityClientsPage.CLIENT_ID, clientId);
        return item;
    }

    @BeforeEach
    void realm() {
        when(realm.getId()).thenReturn("realm-id");
        when(realm.getName()).thenReturn("demo");
        when(client.getClientId()).thenReturn("aws-workload");
        when(realm.getComponentsStream(anyString(), anyString())).thenAnswer(call -> Stream.empty());
    }

    @Test
    void offByDefault() {
        assertThat(clientSwitch.isOn(realm, client)).isFalse();
    }

    @Test
    void onWithAnItemNamingTheClient() {
        when(realm.getComponentsStream("realm-id", AwsIdentityClientsPage.COMPONENT_TYPE))
                .thenAnswer(call -> Stream.of(item("other"), item("aws-workload")));

        assertThat(clientSwitch.isOn(realm, client)).isTrue();
        assertThat(warned).isEmpty();
    }

    @Test
    void anItemOfAnotherPageOrClientDoesNotCount() {
        ComponentModel settings = item("aws-workload");
        settings.setProviderId("aws-identity-settings");
        when(realm.getComponentsStream("realm-id", AwsIdentityClientsPage.COMPONENT_TYPE))
                .thenAnswer(call -> Stream.of(settings, item("aws-workload-2")));

        assertThat(clientSwitch.isOn(realm, client)).isFalse();
    }

    @Test
    void aClientConfiguredTheOldWayCountsAsOnAndItsRealmIsNamedOnce() {
        legacyFlow(AuthenticationExecutionModel.Requirement.REQUIRED);

        assertThat(clientSwitch.isOn(realm, client)).isTrue();
        assertThat(clientSwitch.isOn(realm, client)).isTrue();
        assertThat(warned).containsExactly("realm-id");
    }

    @Test
    void anOldFlowWithTheStepDisabledSwitchesNothingOn() {
        legacyFlow(AuthenticationExecutionModel.Requirement.DISABLED);

        assertThat(clientSwitch.isOn(realm, client)).isFalse();
    }

    private void legacyFlow(AuthenticationExecutionModel.Requirement requirement) {
        AuthenticationFlowModel flow = new AuthenticationFlowModel();
        flow.setId("flow-id");
        AuthenticationExecutionModel step = new AuthenticationExecutionModel();
        step.setAuthenticator("aws-identity");
        step.setRequirement(requirement);
        when(client.getAuthenticationFlowBindingOverride(AuthenticationFlowBindings.DIRECT_GRANT_BINDING)).thenReturn("flow-id");
        when(realm.getAuthenticationFlowById("flow-id")).thenReturn(flow);
        when(realm.getAuthenticationExecutionsStream("flow-id")).thenAnswer(call -> Stream.of(step));
    }
}
