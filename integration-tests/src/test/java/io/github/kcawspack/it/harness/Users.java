package io.github.kcawspack.it.harness;

import java.util.List;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/** Users the tests create through the admin client. */
public final class Users {

    private Users() {
    }

    /**
     * Creates an enabled user with a permanent password and a complete profile (verified e-mail
     * {@code <username>@example.com}, first and last name), so that Keycloak's user-profile check
     * asks nothing at sign-in.
     *
     * @return the new user's id
     */
    public static String create(RealmResource realm, String username, String password, String firstName, String lastName) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEnabled(true);
        user.setEmail(username + "@example.com");
        user.setEmailVerified(true);
        user.setFirstName(firstName);
        user.setLastName(lastName);
        CredentialRepresentation credential = new CredentialRepresentation();
        credential.setType(CredentialRepresentation.PASSWORD);
        credential.setValue(password);
        credential.setTemporary(false);
        user.setCredentials(List.of(credential));
        try (var created = realm.users().create(user)) {
            return CreatedResponseUtil.getCreatedId(created);
        }
    }
}
