package io.github.kcawspack.awslogin;

import java.util.Arrays;
import java.util.Optional;

/** How the CLI proves the AWS identity to Keycloak ({@code --method}). */
public enum LoginMethod {
    /** A signed, unsent sts:GetCallerIdentity that Keycloak has STS check: {@code grant_type=aws_identity}. */
    AWS_IDENTITY("aws-identity"),
    /** A JWT from STS GetWebIdentityToken that Keycloak verifies offline: the RFC 7523 jwt-bearer grant. */
    WEB_IDENTITY_TOKEN("web-identity-token");

    private final String flagValue;

    LoginMethod(String flagValue) {
        this.flagValue = flagValue;
    }

    public String flagValue() {
        return flagValue;
    }

    public static Optional<LoginMethod> ofFlagValue(String value) {
        return Arrays.stream(values()).filter(method -> method.flagValue.equals(value)).findFirst();
    }
}
