package dev.handshake.source;

import static java.util.Objects.requireNonNull;

import dev.handshake.model.CanonicalTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A table after the contract: rows that keep it, and rows that break it with a reason
 * ({@link Quarantine#SCHEMA}). Every input row is in exactly one of the two.
 */
public record CheckedTable(CanonicalTable table, Dataset<Row> accepted, Dataset<Row> quarantined) {
    public CheckedTable {
        requireNonNull(table, "table is null");
        requireNonNull(accepted, "accepted is null");
        requireNonNull(quarantined, "quarantined is null");
    }
}
