package dev.handshake.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The run history never keeps credentials an exception message quotes. */
class RunRecordTest {
    private static RunRecord failedWith(String message) {
        return new RunRecord("r1", Instant.EPOCH, Instant.EPOCH, RunRecord.FAILED, "h", "dev", List.of(),
                List.of(), List.of(), "java.io.IOException", message);
    }

    @Test
    void credentialsInUrisAndParametersAreMaskedAndTheRestIsKept() {
        assertEquals("IOException: cannot open s3a://***@bucket/crm/leads (jdbc:postgresql://db:5432/crm?user=etl&password=***)",
                failedWith("IOException: cannot open s3a://AKIAEXAMPLE:wJalrXUtn/K7MDENG@bucket/crm/leads "
                        + "(jdbc:postgresql://db:5432/crm?user=etl&password=hunter2)").errorMessage());
        assertEquals("token=*** and fs.s3a.secret.key=***; api_key=***",
                failedWith("token=abc123 and fs.s3a.secret.key=xyz; api_key=k-1").errorMessage());
        assertEquals("input table leads: 1 of 5 rows (20.00%) quarantined, above contract.max_quarantined_pct 10.0",
                failedWith("input table leads: 1 of 5 rows (20.00%) quarantined, above contract.max_quarantined_pct 10.0")
                        .errorMessage());
        assertNull(new RunRecord("r2", Instant.EPOCH, Instant.EPOCH, RunRecord.SUCCEEDED, "h", "dev", List.of(),
                List.of(), List.of(), null, null).errorMessage());
    }
}
