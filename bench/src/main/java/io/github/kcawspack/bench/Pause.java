package io.github.kcawspack.bench;

/** Sleeping until a point of {@link System#nanoTime()}, which phases are scheduled on. */
final class Pause {

    private Pause() {
    }

    static void until(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            try {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
