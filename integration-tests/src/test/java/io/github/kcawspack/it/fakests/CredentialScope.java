package io.github.kcawspack.it.fakests;

/**
 * The {@code yyyymmdd/region/service/aws4_request} part of a SigV4 credential. Only what the parser
 * found; whether it fits the request (date, region, service) is the verifier's business.
 */
public record CredentialScope(String date, String region, String service, String terminator) {

    public static final String TERMINATOR = "aws4_request";

    /** The scope line of the string to sign: exactly what the client put after its access key id. */
    public String asScopeString() {
        return date + "/" + region + "/" + service + "/" + terminator;
    }
}
