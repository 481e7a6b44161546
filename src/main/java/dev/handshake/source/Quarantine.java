package dev.handshake.source;

import dev.handshake.model.OutputTable;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Columns of a quarantined row (the sink adds run_id and as_of). */
public final class Quarantine {
    public static final String NAME = "audit_quarantine";
    public static final String SOURCE_TABLE = "source_table";
    public static final String ROW_KEY = "row_key";
    public static final String REASON = "reason";
    public static final String RAW_RECORD = "raw_record";
    /**
     * Characters of one raw value kept in {@link #RAW_RECORD} and {@link #ROW_KEY}: enough to see
     * what is wrong, and a bound on the work per rejected row (masking runs on capped text only).
     * A longer value keeps its first characters and says it was cut, and from how many.
     */
    public static final int RAW_VALUE_CAP = 4096;

    public static final StructType SCHEMA = new StructType()
            .add(SOURCE_TABLE, DataTypes.StringType, false)
            .add(ROW_KEY, DataTypes.StringType, true)
            .add(REASON, DataTypes.StringType, false)
            .add(RAW_RECORD, DataTypes.StringType, true);

    private Quarantine() {}

    /** Grows with bad input: written in parallel, sorted by table and row. */
    public static final OutputTable OUTPUT = OutputTable.large(NAME, SOURCE_TABLE, ROW_KEY);
}
