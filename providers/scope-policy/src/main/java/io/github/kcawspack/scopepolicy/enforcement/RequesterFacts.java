package io.github.kcawspack.scopepolicy.enforcement;

import io.github.kcawspack.scopepolicy.model.Requester;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.RoleUtils;

/** Gathers what a policy decides on from Keycloak's models, as they are at this request. */
public final class RequesterFacts {

    /** Written by the aws_identity grant's authenticator (a published contract of that JAR). */
    static final String AWS_ARN_NOTE = "aws_identity.arn";
    static final String AWS_ACCOUNT_NOTE = "aws_identity.account";

    private RequesterFacts() {
    }

    /**
     * @param sessionNotes the user session notes of this login (or of the session being
     *                     refreshed); only an aws_identity login has the AWS principal among them
     */
    public static Requester of(UserModel user, Function<String, String> sessionNotes, String grantType) {
        Set<String> realmRoles = new HashSet<>();
        Map<String, Set<String>> clientRoles = new HashMap<>();
        // Effective roles: direct, from groups and their parents, composites expanded, as tokens see them.
        for (RoleModel role : RoleUtils.getDeepUserRoleMappings(user)) {
            if (role.isClientRole()) {
                String clientId = ((ClientModel) role.getContainer()).getClientId();
                clientRoles.computeIfAbsent(clientId, id -> new HashSet<>()).add(role.getName());
            } else {
                realmRoles.add(role.getName());
            }
        }
        Set<List<String>> groups = user.getGroupsStream().map(RequesterFacts::names).collect(Collectors.toSet());
        String arn = sessionNotes.apply(AWS_ARN_NOTE);
        String account = sessionNotes.apply(AWS_ACCOUNT_NOTE);
        Optional<Requester.AwsPrincipalFacts> aws = arn == null || account == null
                ? Optional.empty()
                : Optional.of(new Requester.AwsPrincipalFacts(arn, account));
        return new Requester(realmRoles, clientRoles, groups, aws, grantType);
    }

    /** The group's names from its top-level group down, walked by identity, never by path string. */
    private static List<String> names(GroupModel group) {
        java.util.LinkedList<String> names = new java.util.LinkedList<>();
        for (GroupModel g = group; g != null; g = g.getParent()) {
            names.addFirst(g.getName());
        }
        return names;
    }
}
