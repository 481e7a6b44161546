package dev.handshake.sink.report;

import dev.handshake.audit.benchmark.BenchmarkTables;
import dev.handshake.model.Dimension;
import dev.handshake.sink.report.ReportModel.ScoreCell;
import dev.handshake.sink.report.ReportModel.ScoreRow;
import dev.handshake.sink.report.ReportModel.Scoreboard;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The nights' benchmark summaries ({@code benchmark_summary.csv}, one per committed night, published
 * with that night's tables) read back as the scorecard over nights and the index of reports. A
 * summary written before the value columns existed shows its scores without values.
 */
public final class Nights {
    private static final CSVFormat READ = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();

    /** One workflow's total on one night. */
    public record Total(int total, String band, boolean complete) {}

    /** One night of the index: its workflows' totals in the order of the summary. */
    public record Night(String asOf, List<Map.Entry<String, Total>> workflows) {
        public Night {
            workflows = List.copyOf(workflows);
        }
    }

    /** Every night's summary rows, by night (oldest first) then workflow. */
    public record Board(List<LocalDate> nights, Map<LocalDate, Map<String, CSVRecord>> rows) {
        public Total previousTotal(String workflow, LocalDate before) {
            Total found = null;
            for (LocalDate n : nights) {
                CSVRecord r = n.isBefore(before) ? rows.get(n).get(workflow) : null;
                if (r != null) {
                    found = total(r);
                }
            }
            return found;
        }

        public Scoreboard scoreboard() {
            Set<String> workflows = new LinkedHashSet<>();
            for (LocalDate n : nights) {
                workflows.addAll(rows.get(n).keySet());
            }
            List<ScoreRow> out = new ArrayList<>();
            for (String w : workflows) {
                List<ScoreCell> totals = new ArrayList<>();
                for (LocalDate n : nights) {
                    CSVRecord r = rows.get(n).get(w);
                    totals.add(r == null ? new ScoreCell(false, null, null, null)
                            : new ScoreCell(true, null, r.get("total"), blank(r.get("band"))));
                }
                out.add(new ScoreRow(w, "total", "Total and band", totals));
                for (Dimension d : Dimension.values()) {
                    List<ScoreCell> cells = new ArrayList<>();
                    for (LocalDate n : nights) {
                        CSVRecord r = rows.get(n).get(w);
                        if (r == null) {
                            cells.add(new ScoreCell(false, null, null, null));
                            continue;
                        }
                        String score = r.get(d.summaryColumn());
                        String column = BenchmarkTables.valueColumn(d);
                        String value = r.isMapped(column) ? blank(r.get(column)) : null;
                        cells.add(new ScoreCell(true, score.isEmpty() ? null : Integer.valueOf(score),
                                value == null ? null : value + " " + d.unit(), null));
                    }
                    out.add(new ScoreRow(w, d.key(), Labels.dimension(d), cells));
                }
            }
            return new Scoreboard(nights.stream().map(LocalDate::toString).toList(), out);
        }

        /** Newest night first, for the index. */
        public List<Night> index() {
            List<Night> out = new ArrayList<>();
            for (int i = nights.size() - 1; i >= 0; i--) {
                LocalDate n = nights.get(i);
                List<Map.Entry<String, Total>> ws = new ArrayList<>();
                rows.get(n).forEach((w, r) -> ws.add(Map.entry(w, total(r))));
                out.add(new Night(n.toString(), ws));
            }
            return out;
        }
    }

    private Nights() {}

    public static Board board(Map<LocalDate, byte[]> summaries) {
        Map<LocalDate, Map<String, CSVRecord>> rows = new TreeMap<>();
        for (var e : summaries.entrySet()) {
            Map<String, CSVRecord> byWorkflow = new java.util.LinkedHashMap<>();
            try (CSVParser p = READ.parse(new StringReader(new String(e.getValue(), StandardCharsets.UTF_8)))) {
                for (CSVRecord r : p) {
                    byWorkflow.put(r.get("workflow"), r);
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            rows.put(e.getKey(), byWorkflow);
        }
        return new Board(List.copyOf(rows.keySet()), new HashMap<>(rows));
    }

    private static Total total(CSVRecord r) {
        return new Total(Integer.parseInt(r.get("total")), blank(r.get("band")), Boolean.parseBoolean(r.get("complete")));
    }

    private static String blank(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
