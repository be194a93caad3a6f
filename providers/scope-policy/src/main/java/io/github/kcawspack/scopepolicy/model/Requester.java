package io.github.kcawspack.scopepolicy.model;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The facts a policy decides on, gathered by the caller for one token request.
 *
 * @param realmRoles  effective realm roles (composites expanded)
 * @param clientRoles effective client roles, by client id
 * @param groupPaths  full paths of the groups the user is a direct member of
 * @param aws         the AWS principal of an aws_identity login, if any
 * @param grantType   the grant the token is issued through, e.g. password, aws_identity
 */
public record Requester(Set<String> realmRoles, Map<String, Set<String>> clientRoles, Set<String> groupPaths,
                        Optional<AwsPrincipalFacts> aws, String grantType) {

    /** As the aws_identity login proved them (kept in the session): canonical ARN and account. */
    public record AwsPrincipalFacts(String canonicalArn, String account) {
    }

    public Requester {
        realmRoles = Set.copyOf(realmRoles);
        clientRoles = Map.copyOf(clientRoles);
        groupPaths = Set.copyOf(groupPaths);
    }

    boolean isInGroupOrBelow(String path) {
        String prefix = path.endsWith("/") ? path : path + "/";
        return groupPaths.stream().anyMatch(member -> member.equals(path) || member.startsWith(prefix));
    }

    boolean hasClientRole(String clientId, String role) {
        return clientRoles.getOrDefault(clientId, Set.of()).contains(role);
    }
}
