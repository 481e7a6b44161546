package dev.handshake.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A named population followed from capture to finance (section 4): the cohort leads matching
 * every non-empty list of {@code include} and none of {@code exclude}. Values are kept
 * normalized (see {@link LabelMapping#normalize(String)}), so matching ignores case and spacing.
 */
public record Workflow(String name, String description, Population include, Population exclude) {
    public Workflow {
        requireNonNull(name, "name is null");
        requireNonNull(include, "include is null");
        requireNonNull(exclude, "exclude is null");
        description = description == null ? "" : description;
    }

    /** Structured filters; an empty list does not restrict. */
    public record Population(List<String> channels, List<String> leadSources, List<String> touchTypes,
                             List<String> segments) {
        public static final Population NONE = new Population(List.of(), List.of(), List.of(), List.of());

        public Population {
            channels = List.copyOf(channels);
            leadSources = List.copyOf(leadSources);
            touchTypes = List.copyOf(touchTypes);
            segments = List.copyOf(segments);
        }

        public boolean usesTouchTypes() {
            return !touchTypes.isEmpty();
        }
    }

    public boolean usesTouchTypes() {
        return include.usesTouchTypes() || exclude.usesTouchTypes();
    }
}
