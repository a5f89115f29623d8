package org.synthloom.api.data;

import java.util.Objects;

/**
 * A piece of input that could not be used and was skipped: which file, which entry in it, and
 * why. Sources collect these so that a run can count and report them instead of failing.
 */
public final class InputProblem {

    private final String location;
    private final String entry;
    private final String reason;

    /**
     * @param location the file, URL or dataset the input came from
     * @param entry the entry within it (a tar member, a CSV line, an image id); empty if none
     * @param reason what is wrong with it
     */
    public InputProblem(String location, String entry, String reason) {
        this.location = Objects.requireNonNull(location, "location");
        this.entry = Objects.requireNonNull(entry, "entry");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return the file, URL or dataset */
    public String location() {
        return location;
    }

    /** @return the entry within it, or an empty string */
    public String entry() {
        return entry;
    }

    /** @return what is wrong */
    public String reason() {
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputProblem p && location.equals(p.location) && entry.equals(p.entry)
                && reason.equals(p.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(location, entry, reason);
    }

    @Override
    public String toString() {
        return location + (entry.isEmpty() ? "" : ": " + entry) + ": " + reason;
    }
}
