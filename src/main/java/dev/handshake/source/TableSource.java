package dev.handshake.source;

import dev.handshake.model.CanonicalTable;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where raw input tables come from (local files, a warehouse). A source only reads: column
 * mapping, type coercion and quarantine are the contract's job, the same for every source.
 */
public interface TableSource {
    /** The raw rows of a table, with source column names; empty when the table is absent. */
    Optional<Dataset<Row>> read(CanonicalTable table);

    /** Where the table is read from, for messages (never contains secrets). */
    String describe(CanonicalTable table);

    /**
     * Whether reading a table again gives the same rows, so the contract may check it in one pass
     * and leave the accepted rows to be read where they are used. Files are; a warehouse query is
     * not (rows land between two queries), so a warehouse table is read once and kept.
     */
    default boolean rereadable() {
        return false;
    }
}
