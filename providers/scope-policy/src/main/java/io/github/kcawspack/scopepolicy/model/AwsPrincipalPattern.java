package io.github.kcawspack.scopepolicy.model;

import java.util.regex.Pattern;

/**
 * An AWS principal a rule admits: one account, exactly; a principal type; a name where * and ?
 * are wildcards. Matched against the canonical ARN the aws_identity login proved (a session note)
 * (arn:{partition}:iam::{account}:role/{name} or .../user/{path}{name}).
 */
public record AwsPrincipalPattern(String account, String type, String name) {

    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_+=,.@*?-]{1,128}");

    public AwsPrincipalPattern {
        if (account == null || !ACCOUNT.matcher(account).matches()) {
            throw new IllegalArgumentException("account must be exactly 12 digits (no wildcards)");
        }
        if (!"role".equals(type) && !"user".equals(type)) {
            throw new IllegalArgumentException("type must be role or user");
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be an IAM name, with * and ? as wildcards");
        }
    }

    boolean admits(Requester.AwsPrincipalFacts principal) {
        if (!account.equals(principal.account())) {
            return false;
        }
        // The ARN's fields by position (arn:partition:iam::account:resource), never by searching:
        // an IAM user's path may hold ":iam::<account>:role/", and a search would read a user
        // named deployer under such a path as the role deployer.
        String[] fields = principal.canonicalArn().split(":", 6);
        if (fields.length != 6 || !"arn".equals(fields[0]) || !"iam".equals(fields[2]) || !fields[3].isEmpty()
                || !account.equals(fields[4]) || !fields[5].startsWith(type + "/")) {
            return false;
        }
        String resource = fields[5].substring(type.length() + 1);
        // Users may carry an IAM path; the name is its last segment.
        String principalName = resource.substring(resource.lastIndexOf('/') + 1);
        return globToRegex(name).matcher(principalName).matches();
    }

    /** Everything literal except * (any run) and ? (one character). */
    static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
