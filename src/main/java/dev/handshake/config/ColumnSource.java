package dev.handshake.config;

import static java.util.Objects.requireNonNull;

/**
 * Where a canonical column's values come from: a column of the source table (renamed), one value
 * for every row, or a Spark SQL expression over the table's own columns.
 */
public sealed interface ColumnSource {
    record Renamed(String column) implements ColumnSource {
        public Renamed {
            requireNonNull(column, "column is null");
        }
    }

    /** The same text in every row (a closed-deal export has no stage: every row is won). */
    record Constant(String value) implements ColumnSource {
        public Constant {
            requireNonNull(value, "value is null");
        }
    }

    /** Spark SQL over the source table's columns, checked when the table is first read. */
    record Expression(String sql) implements ColumnSource {
        public Expression {
            requireNonNull(sql, "sql is null");
        }
    }
}
