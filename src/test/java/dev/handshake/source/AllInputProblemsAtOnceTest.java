package dev.handshake.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.handshake.AuditException;
import dev.handshake.Steps;
import dev.handshake.testing.CsvExport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first export that misses several things (issue 25, item 7): every missing required column is
 * named in one failure, not one run at a time; a missing table is a problem only when neither leads
 * nor opportunities is there (every other table is needed only by the figures that read it).
 *
 * <pre>
 * leads          present, no created_at column                 -> 1 problem line
 * opportunities  present, neither opportunity_id nor created_at -> 1 line naming both columns
 * opportunity_history, users, campaigns  absent                  -> no problem (empty stand-ins)
 * </pre>
 * 2 problem lines, exit code 3 (input contract).
 */
class AllInputProblemsAtOnceTest {
    @TempDir
    Path dir;

    private void write(String table, String csv) {
        new CsvExport(dir).write(table, csv);
    }

    @Test
    void everyMissingTableAndColumnIsNamedInOneFailure() throws Exception {
        write("leads", "lead_id,mql_at\nL1,2026-01-05T10:00:00Z\n");
        write("opportunities", "deal_id,deal_stage\nD1,Won\n");
        CsvExport export = new CsvExport(dir);
        AuditException e = assertThrows(AuditException.class,
                () -> InputLoader.load(export.source(), export.settings(), new Steps()));
        assertEquals(AuditException.Code.INPUT_CONTRACT, e.code());
        String m = e.getMessage();
        assertTrue(m.startsWith("2 input problems:"), m);
        for (String expected : new String[] {
            "table leads (", "has no column 'created_at' for required column 'created_at'",
            "table opportunities (", "has no column 'opportunity_id' for required column 'opportunity_id'",
            "has no column 'created_at' for required column 'created_at'. Fix: map it with"
                    + " source.tables.opportunities.columns.created_at"}) {
            assertTrue(m.contains(expected), expected + " in: " + m);
        }
    }

    @Test
    void withNeitherLeadsNorOpportunitiesThereIsNothingToAudit() throws Exception {
        write("users", "user_id,role\nU1,SDR\n");
        CsvExport export = new CsvExport(dir);
        AuditException e = assertThrows(AuditException.class,
                () -> InputLoader.load(export.source(), export.settings(), new Steps()));
        assertEquals(AuditException.Code.INPUT_CONTRACT, e.code());
        assertTrue(e.getMessage().startsWith("neither leads ("), e.getMessage());
    }
}
