package io.github.kcawspack.bench;

/** Where a worker's next request comes from; called by many workers at once. */
@FunctionalInterface
public interface TokenRequestSource {

    /** @param worker the calling worker's number, from 0, for sources that keep per-client state */
    TokenRequest next(int worker);
}
