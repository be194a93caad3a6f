package io.github.kcawspack.it.fakests;

/**
 * A caller the fake knows: the credentials it signs with and who STS says it is. An assumed role
 * answers {@code arn:<partition>:sts::<account>:assumed-role/<role>/<session>} with user id
 * {@code <AROA...>:<session>}; an IAM user answers {@code arn:<partition>:iam::<account>:user/<name>}
 * with user id {@code <AIDA...>}.
 */
record StsPrincipal(String accessKeyId, SigningCredentials credentials, String account, Kind kind, String name,
        String sessionName, String uniqueId) {

    enum Kind { ASSUMED_ROLE, IAM_USER }

    StsIdentity identityIn(String region) {
        String partition = StsIdentity.partitionOf(region);
        return switch (kind) {
            case ASSUMED_ROLE -> new StsIdentity(
                    "arn:" + partition + ":sts::" + account + ":assumed-role/" + name + "/" + sessionName,
                    uniqueId + ":" + sessionName, account);
            case IAM_USER -> new StsIdentity("arn:" + partition + ":iam::" + account + ":user/" + name, uniqueId,
                    account);
        };
    }

    /**
     * The ARN GetWebIdentityToken puts in {@code sub}: the role's IAM ARN for a role session (not the
     * assumed-role session ARN GetCallerIdentity answers), the user's ARN for an IAM user.
     */
    String principalArnIn(String region) {
        String partition = StsIdentity.partitionOf(region);
        return switch (kind) {
            case ASSUMED_ROLE -> "arn:" + partition + ":iam::" + account + ":role/" + name;
            case IAM_USER -> "arn:" + partition + ":iam::" + account + ":user/" + name;
        };
    }

    StsPrincipal withCredentials(SigningCredentials changed) {
        return new StsPrincipal(accessKeyId, changed, account, kind, name, sessionName, uniqueId);
    }
}
