package io.github.kcawspack.awsidentity.principal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The username of the user each AWS principal was last linked to, per realm, remembered on this
 * node.
 *
 * <p>Keycloak's user cache answers the lookup by link too, but a user found that way is loaded by
 * id, and Keycloak's direct-grant flow looks the user up by username again (its profile check for
 * duplicate usernames), which its cache answers only when the user was not loaded otherwise first
 * in the same request: found by username here, the second lookup is a cache hit too. A remembered
 * name is only a hint: {@link AwsUserMapper} uses the user only while its {@link AwsLinks link}
 * (read through Keycloak's user cache, which every node invalidates when a link changes) still
 * names the principal, and looks the link up otherwise. Nothing here is shared between nodes or
 * needs invalidating: a user deleted, renamed, unlinked or re-linked anywhere fails that check.
 *
 * <p>Least recently used links are dropped beyond {@link #CAPACITY}, which bounds the memory
 * (a few hundred bytes a link); a principal whose link was dropped costs one lookup again.
 */
public final class LinkedUsers {

    static final int CAPACITY = 10_000;

    private record Principal(String realmId, String canonicalArn) {
    }

    private final int capacity;
    private final Map<Principal, String> usernames;

    public LinkedUsers() {
        this(CAPACITY);
    }

    LinkedUsers(int capacity) {
        this.capacity = capacity;
        this.usernames = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Principal, String> eldest) {
                return size() > LinkedUsers.this.capacity;
            }
        };
    }

    synchronized Optional<String> username(String realmId, String canonicalArn) {
        return Optional.ofNullable(usernames.get(new Principal(realmId, canonicalArn)));
    }

    synchronized void remember(String realmId, String canonicalArn, String username) {
        usernames.put(new Principal(realmId, canonicalArn), username);
    }

    synchronized int size() {
        return usernames.size();
    }
}
