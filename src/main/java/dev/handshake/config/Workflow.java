package dev.handshake.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;

/**
 * A named population followed from capture to finance (section 4): the records matching every
 * non-empty list of {@code include} and none of {@code exclude}. The records are the cohort leads,
 * or the opportunities in scope when the night has no cohort lead (docs/definitions.md, section 6,
 * Workflows). Values are kept normalized (see {@link LabelMapping#normalize(String)}), so matching
 * ignores case and spacing.
 */
public record Workflow(String name, String description, Population include, Population exclude) {
    public Workflow {
        requireNonNull(name, "name is null");
        requireNonNull(include, "include is null");
        requireNonNull(exclude, "exclude is null");
        description = description == null ? "" : description;
    }

    /** The keys of an {@code include} / {@code exclude} section, in the order they are reported. */
    public enum Key {
        CHANNELS, LEAD_SOURCES, TOUCH_TYPES, SEGMENTS, OWNERS, OPPORTUNITY_TYPES;

        /** The configuration key, e.g. {@code lead_sources}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Structured filters; an empty list does not restrict. */
    public record Population(List<String> channels, List<String> leadSources, List<String> touchTypes,
                             List<String> segments, List<String> owners, List<String> opportunityTypes) {
        public static final Population NONE = new Population(List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of());

        public Population {
            channels = List.copyOf(channels);
            leadSources = List.copyOf(leadSources);
            touchTypes = List.copyOf(touchTypes);
            segments = List.copyOf(segments);
            owners = List.copyOf(owners);
            opportunityTypes = List.copyOf(opportunityTypes);
        }

        /** The values listed under {@code key}; empty when the key is not given. */
        public List<String> values(Key key) {
            return switch (key) {
                case CHANNELS -> channels;
                case LEAD_SOURCES -> leadSources;
                case TOUCH_TYPES -> touchTypes;
                case SEGMENTS -> segments;
                case OWNERS -> owners;
                case OPPORTUNITY_TYPES -> opportunityTypes;
            };
        }

        public boolean usesTouchTypes() {
            return !touchTypes.isEmpty();
        }
    }

    public boolean usesTouchTypes() {
        return include.usesTouchTypes() || exclude.usesTouchTypes();
    }
}
