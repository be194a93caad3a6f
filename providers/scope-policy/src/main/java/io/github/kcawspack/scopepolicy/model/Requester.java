package io.github.kcawspack.scopepolicy.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The facts a policy decides on, gathered by the caller for one token request.
 *
 * @param realmRoles  effective realm roles (composites expanded)
 * @param clientRoles effective client roles, by client id
 * @param groups      the groups the user is a direct member of, each as the chain of group names
 *                    from its top-level group down to it (names, not a path string: a group
 *                    name may itself contain a slash)
 * @param aws         the AWS principal of an aws_identity login, if any
 * @param grantType   the grant the token is issued through, e.g. password, aws_identity
 */
public record Requester(Set<String> realmRoles, Map<String, Set<String>> clientRoles, Set<List<String>> groups,
                        Optional<AwsPrincipalFacts> aws, String grantType) {

    /** As the aws_identity login proved them (kept in the session): canonical ARN and account. */
    public record AwsPrincipalFacts(String canonicalArn, String account) {
    }

    public Requester {
        realmRoles = Set.copyOf(realmRoles);
        clientRoles = Map.copyOf(clientRoles);
        groups = groups.stream().map(List::copyOf).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /**
     * @param path a rule's group path, e.g. {@code /staff/engineering}; a slash inside a group's
     *             name is written {@code ~/}, Keycloak's own escape
     * @return whether the user is a member of that group or of a group below it, compared name by
     *         name: a top-level group named {@code staff/contractors} is not below {@code /staff}
     */
    boolean isInGroupOrBelow(String path) {
        List<String> names = groupNames(path);
        return groups.stream().anyMatch(chain -> chain.size() >= names.size() && chain.subList(0, names.size()).equals(names));
    }

    /** The group names of a path: split at each slash not escaped as {@code ~/}, escapes undone. */
    static List<String> groupNames(String path) {
        List<String> names = new java.util.ArrayList<>();
        StringBuilder name = new StringBuilder();
        for (int i = 1; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '~' && i + 1 < path.length() && path.charAt(i + 1) == '/') {
                name.append('/');
                i++;
            } else if (c == '/') {
                names.add(name.toString());
                name.setLength(0);
            } else {
                name.append(c);
            }
        }
        names.add(name.toString());
        return names;
    }

    boolean hasClientRole(String clientId, String role) {
        return clientRoles.getOrDefault(clientId, Set.of()).contains(role);
    }
}
