package io.github.kcawspack.scopepolicy.model;

/** What happens to a scope the requester may not obtain. */
public enum Mode {
    /** Left out; the token response's scope says what was granted (RFC 6749 section 3.3). */
    FILTER,
    /** The whole request fails with invalid_scope. */
    REJECT
}
