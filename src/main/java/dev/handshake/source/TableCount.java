package dev.handshake.source;

/**
 * Row accounting of one input table: every row read is either accepted or quarantined.
 * Deleted rows are accepted (they keep the contract) and then excluded by the audits.
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

    public double quarantinedPct() {
        return rowsRead == 0 ? 0.0 : 100.0 * rowsQuarantined / rowsRead;
    }
}
