package dev.handshake.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * How an output table is written (docs/outputs.md): its name, the columns that key and order its
 * rows, and its size class. Each table class declares its own beside its column names, so the
 * writer never retypes them.
 *
 * @param sortBy the key columns in the order rows are sorted within each file
 */
public record OutputTable(String name, Size size, List<String> sortBy) {

    public enum Size {
        /** Bounded by configuration, not by input: written as one sorted file, so reruns give the same file. */
        SMALL,
        /** Grows with input: written in parallel, sorted within each file. */
        LARGE
    }

    public OutputTable {
        requireNonNull(name, "name is null");
        requireNonNull(size, "size is null");
        sortBy = List.copyOf(sortBy);
    }

    public static OutputTable small(String name, String... sortBy) {
        return new OutputTable(name, Size.SMALL, List.of(sortBy));
    }

    public static OutputTable large(String name, String... sortBy) {
        return new OutputTable(name, Size.LARGE, List.of(sortBy));
    }

    public boolean small() {
        return size == Size.SMALL;
    }

    /** The step that writes it, as the step log and {@code audit_run} name it ("audit funnel"). */
    public String stepName() {
        return name.replace('_', ' ');
    }
}
