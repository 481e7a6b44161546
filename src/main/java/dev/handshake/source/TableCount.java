package dev.handshake.source;

/**
 * Row accounting of one input table: every row read is either accepted or quarantined.
 * Deleted rows are accepted (they keep the contract) and then excluded by the audits, or, in a
 * table with no is_deleted column, set apart by the source ({@link LandedRows}) and counted here.
 */
public record TableCount(String table, boolean present, long rowsRead, long rowsAccepted,
                         long rowsQuarantined, long rowsDeleted) {
    public TableCount {
        if (rowsRead != rowsAccepted + rowsQuarantined) {
            throw new IllegalStateException("row conservation broken for " + table + ": read " + rowsRead
                    + " != accepted " + rowsAccepted + " + quarantined " + rowsQuarantined);
        }
    }

    public static TableCount absent(String table) {
        return new TableCount(table, false, 0, 0, 0, 0);
    }

    /**
     * With deleted rows the source set apart before the contract ({@link LandedRows}): read,
     * accepted and deleted, as a deleted row of a table that carries the mark is.
     */
    public TableCount withSetApart(long deleted) {
        return deleted == 0 ? this : new TableCount(table, present, rowsRead + deleted, rowsAccepted + deleted,
                rowsQuarantined, rowsDeleted + deleted);
    }

    public double quarantinedPct() {
        return rowsRead == 0 ? 0.0 : 100.0 * rowsQuarantined / rowsRead;
    }
}
