package dev.handshake.audit;

import static dev.handshake.model.CanonicalTable.FX_RATES;
import static dev.handshake.model.CanonicalTable.OPPORTUNITIES;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.handshake.model.AuditWindow;
import dev.handshake.source.AuditInputs;
import dev.handshake.testing.Fixture;
import dev.handshake.testing.SharedSpark;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Currency codes are matched to rates whatever their case; a code that is no ISO code finds no rate. */
class FxTest {
    private static final AuditWindow WINDOW = new AuditWindow(LocalDate.parse("2026-03-31"), 90);

    @Test
    void codesAreFoldedToUpperCaseAndAMissingCodeIsTheReportingCurrency() {
        Fixture f = new Fixture()
                .row(FX_RATES, "currency_code", "eur", "rate_date", "2026-03-01", "rate_to_reporting", "1.10")
                .row(OPPORTUNITIES, "opportunity_id", "lower", "amount", "100.00", "currency_code", "eur")
                .row(OPPORTUNITIES, "opportunity_id", "mixed", "amount", "100.00", "currency_code", "Eur")
                .row(OPPORTUNITIES, "opportunity_id", "reporting", "amount", "100.00", "currency_code", "usd")
                .row(OPPORTUNITIES, "opportunity_id", "missing", "amount", "100.00")
                // Not an ISO code (non-ASCII letter): left as it is, so no rate and no amount.
                .row(OPPORTUNITIES, "opportunity_id", "accented", "amount", "100.00", "currency_code", "éur");
        AuditInputs in = f.inputs(SharedSpark.get());
        Fx fx = Fx.of(in, "USD", WINDOW);

        Map<String, String> converted = new TreeMap<>();
        for (Row r : fx.convert(in.table(OPPORTUNITIES), col("amount"), col("currency_code"),
                org.apache.spark.sql.functions.lit(java.sql.Date.valueOf("2026-03-15")), "amount_usd")
                .select("opportunity_id", "amount_usd").collectAsList()) {
            converted.put(r.getString(0), r.isNullAt(1) ? "-" : r.getDecimal(1).stripTrailingZeros().toPlainString());
        }
        // 100.00 EUR at 1.10 = 110.00 USD, by the rate of 2026-03-01 carried to 2026-03-15.
        assertEquals(Map.of("lower", "110", "mixed", "110", "reporting", "100", "missing", "100",
                "accented", "-"), converted);
    }
}
