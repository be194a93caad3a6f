package io.github.kcawspack.scopepolicy.enforcement;

import java.util.Map;
import java.util.Optional;

/**
 * The policy's answer for one request.
 *
 * @param scopeParameter the scope parameter to continue with: the requested one without the
 *                       withheld scopes (unchanged, possibly null, when nothing is withheld)
 * @param withheld       withheld scope names with the one-line reason, in request order
 * @param rejection      when present, the request must fail with invalid_scope and this
 *                       description, which names the scope but no rule internals
 */
public record GateResult(String scopeParameter, Map<String, String> withheld, Optional<String> rejection) {

    public GateResult {
        withheld = Map.copyOf(withheld);
    }

    public boolean rejected() {
        return rejection.isPresent();
    }

    public boolean narrowed() {
        return !withheld.isEmpty();
    }
}
