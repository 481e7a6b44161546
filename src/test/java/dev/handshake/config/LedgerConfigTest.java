package dev.handshake.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.handshake.AuditException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The break ledger's keys: defaults, the shipped configuration, and a message naming key and fix. */
class LedgerConfigTest {
    @TempDir
    Path dir;

    private AuditConfig load(String yaml) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "source:\n  root: data\n" + yaml);
        return ConfigLoader.load(file);
    }

    @Test
    void theLagKeysDefaultTo90NightsAnd20DealsAndAreRead() throws Exception {
        ReconciliationSettings defaults = load("").reconciliation();
        assertEquals(90, defaults.lagHistoryNights());
        assertEquals(20, defaults.lagMinDeals());
        ReconciliationSettings set = load("reconciliation:\n  lag_history_nights: 30\n  lag_min_deals: 5\n")
                .reconciliation();
        assertEquals(30, set.lagHistoryNights());
        assertEquals(5, set.lagMinDeals());
        assertEquals(90, ConfigLoader.load(Path.of("conf/local.yaml")).reconciliation().lagHistoryNights());
    }

    @Test
    void anImpossibleValueNamesTheKeyAndTheFix() {
        AuditException e = assertThrows(AuditException.class, () -> load("reconciliation:\n  lag_min_deals: 0\n"));
        assertEquals(AuditException.Code.USAGE_OR_CONFIG, e.code());
        assertEquals(true, e.getMessage().contains("reconciliation.lag_min_deals"), e.getMessage());
        assertEquals(true, e.getMessage().contains("got 0"), e.getMessage());
        AuditException nights = assertThrows(AuditException.class,
                () -> load("reconciliation:\n  lag_history_nights: 0\n"));
        assertEquals(true, nights.getMessage().contains("reconciliation.lag_history_nights"), nights.getMessage());
    }

    @Test
    void theCloseCalendarIsOptionalAndAnImpossibleValueNamesTheKey() throws Exception {
        assertEquals(java.util.OptionalInt.empty(), load("").reconciliation().periodCloseDays());
        assertEquals(java.util.OptionalInt.of(5), load("reconciliation:\n  period_close_days: 5\n").reconciliation()
                .periodCloseDays());
        assertEquals(java.util.OptionalInt.of(5), ConfigLoader.load(Path.of("conf/local.yaml")).reconciliation()
                .periodCloseDays());
        AuditException e = assertThrows(AuditException.class, () -> load("reconciliation:\n  period_close_days: -1\n"));
        assertEquals(AuditException.Code.USAGE_OR_CONFIG, e.code());
        assertEquals(true, e.getMessage().contains("reconciliation.period_close_days"), e.getMessage());
        assertEquals(true, e.getMessage().contains("got -1"), e.getMessage());
    }
}
