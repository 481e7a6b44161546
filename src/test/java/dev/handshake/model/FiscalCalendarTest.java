package dev.handshake.model;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.handshake.testing.SharedSpark;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Encoders;
import org.junit.jupiter.api.Test;

class FiscalCalendarTest {
    private static List<String> quarters(int firstMonth, String... periods) {
        return SharedSpark.get().createDataset(Arrays.asList(periods), Encoders.STRING()).toDF("period")
                .select(FiscalCalendar.quarter(col("period"), firstMonth)).collectAsList().stream()
                .map(r -> r.getString(0)).collect(Collectors.toList());
    }

    @Test
    void aFebruaryStartNamesTheYearByItsEndAndCountsQuartersFromFebruary() {
        // Feb-Apr = Q1 of FY2027; Nov-Jan = Q4; January 2026 still belongs to FY2026.
        assertEquals(List.of("FY2026-Q4", "FY2027-Q1", "FY2027-Q1", "FY2027-Q2", "FY2026-Q4"),
                quarters(2, "2026-01", "2026-02", "2026-04", "2026-05", "2025-12"));
    }

    @Test
    void aJanuaryStartIsTheCalendarYearAndBadPeriodsHaveNoQuarter() {
        assertEquals(Arrays.asList("FY2026-Q1", "FY2026-Q4", null, null),
                quarters(1, "2026-03", "2026-12", "2026-3", "Q1-2026"));
    }
}
