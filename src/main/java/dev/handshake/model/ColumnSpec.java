package dev.handshake.model;

import static java.util.Objects.requireNonNull;

/** One column of a canonical table: name, type and whether a row without it is rejected. */
public record ColumnSpec(String name, ColumnType type, boolean required) {
    public ColumnSpec {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }

    static ColumnSpec req(String name, ColumnType type) {
        return new ColumnSpec(name, type, true);
    }

    static ColumnSpec opt(String name, ColumnType type) {
        return new ColumnSpec(name, type, false);
    }
}
