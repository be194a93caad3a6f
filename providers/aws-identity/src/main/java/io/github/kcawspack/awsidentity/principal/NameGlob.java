package io.github.kcawspack.awsidentity.principal;

import java.util.Objects;

/**
 * A glob on role and user names: {@code *} is any sequence (also empty), {@code ?} exactly one
 * character, every other character only itself, case-sensitively. Matched by hand rather than
 * translated to a regular expression, so no character of a pattern can mean more than it says.
 */
public final class NameGlob {

    private final String pattern;

    public NameGlob(String pattern) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
    }

    public String pattern() {
        return pattern;
    }

    /**
     * Greedy matching that, on a mismatch, lets the most recent {@code *} absorb one more
     * character; earlier stars never need revisiting, so this runs in O(pattern x text).
     */
    public boolean matches(String text) {
        int p = 0;
        int t = 0;
        int lastStar = -1;
        int textAtLastStar = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                lastStar = p++;
                textAtLastStar = t;
            } else if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (lastStar >= 0) {
                p = lastStar + 1;
                t = ++textAtLastStar;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NameGlob glob && glob.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
