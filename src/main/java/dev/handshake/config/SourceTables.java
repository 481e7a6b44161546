package dev.handshake.config;

import dev.handshake.AuditException;
import dev.handshake.config.AuditConfig.RawTable;
import dev.handshake.model.CanonicalTable;
import dev.handshake.model.ColumnSpec;
import java.nio.charset.Charset;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;

/**
 * The parts of {@code source} that describe an export rather than a location: format options,
 * columns by value or expression, raw tables and query-defined tables (docs/own-data.md). Each
 * check names the key and the fix; the Spark SQL is parsed here, its columns checked when the
 * table is first read (only the data knows them).
 */
final class SourceTables {
    private static final Pattern RAW_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    /** Words no read-only query needs; a SELECT naming them is refused rather than sent. */
    private static final Pattern WRITES = Pattern.compile(
            "\\b(insert|update|delete|merge|create|drop|alter|truncate|grant|revoke|call)\\b",
            Pattern.CASE_INSENSITIVE);

    private SourceTables() {}

    /** Canonical columns by source: renames, derived (constant or expression) and unmapped. */
    record Columns(Map<String, String> renamed, Map<String, ColumnSource> derived, Set<String> unmapped) {}

    static FormatOptions format(String key, ConfigFile.Options raw, FormatOptions base) {
        if (raw == null) {
            return base;
        }
        List<String> dates = raw.dateFormats() == null ? base.dateFormats() : patterns(key + ".date_formats", raw.dateFormats());
        List<String> timestamps = raw.timestampFormats() == null ? base.timestampFormats()
                : patterns(key + ".timestamp_formats", raw.timestampFormats());
        Optional<ZoneId> zone = base.timeZone();
        if (raw.timeZone() != null) {
            try {
                zone = Optional.of(ZoneId.of(raw.timeZone()));
            } catch (DateTimeException e) {
                throw AuditException.config(key + ".time_zone", "'" + raw.timeZone() + "' is not a time zone",
                        "use a region name such as Europe/Paris or America/New_York, or UTC");
            }
        }
        Charset encoding = base.encoding();
        if (raw.encoding() != null) {
            check(Charset.isSupported(raw.encoding()), key + ".encoding", "'" + raw.encoding() + "' is not an encoding",
                    "use UTF-8 (with or without a byte order mark) or windows-1252");
            encoding = Charset.forName(raw.encoding());
        }
        List<String> nulls = base.nullValues();
        if (raw.nullValues() != null) {
            nulls = new ArrayList<>();
            for (String n : raw.nullValues()) {
                check(n != null, key + ".null_values", "contains a null", "write the words in quotes, e.g. [\"NaN\", \"NULL\"]");
                nulls.add(n.strip());
            }
        }
        char decimal = base.decimalSeparator();
        if (raw.decimalSeparator() != null) {
            check(raw.decimalSeparator().equals(".") || raw.decimalSeparator().equals(","),
                    key + ".decimal_separator", "'" + raw.decimalSeparator() + "' is not supported", "use \".\" or \",\"");
            decimal = raw.decimalSeparator().charAt(0);
        }
        return new FormatOptions(dates, timestamps, zone, character(key + ".delimiter", raw.delimiter(), base.delimiter()),
                character(key + ".quote", raw.quote(), base.quote()), character(key + ".escape", raw.escape(), base.escape()),
                encoding, nulls, decimal);
    }

    private static char character(String key, String raw, char base) {
        if (raw == null) {
            return base;
        }
        check(raw.length() == 1, key, "must be one character, got '" + raw + "'",
                "e.g. \";\" (write a tab as \"\\t\" in double quotes)");
        return raw.charAt(0);
    }

    private static List<String> patterns(String key, List<String> raw) {
        check(!raw.isEmpty(), key, "is empty", "list at least one pattern, e.g. [\"dd-MM-yyyy\"], or remove the key");
        for (String p : raw) {
            check(p != null && !p.isBlank(), key, "contains an empty pattern", "remove it");
            try {
                DateTimeFormatter.ofPattern(p, Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw AuditException.config(key, "'" + p + "' is not a date pattern",
                        "use Spark datetime pattern letters, e.g. dd-MM-yyyy or dd/MM/yyyy HH:mm:ss");
            }
        }
        return List.copyOf(raw);
    }

    static Columns columns(String key, CanonicalTable table, Map<String, ConfigFile.ColumnFile> raw, boolean jdbc) {
        Map<String, String> renamed = new LinkedHashMap<>();
        Map<String, ColumnSource> derived = new LinkedHashMap<>();
        Set<String> unmapped = new LinkedHashSet<>();
        if (raw == null) {
            return new Columns(renamed, derived, unmapped);
        }
        raw.forEach((canonical, source) -> {
            String columnKey = key + ".columns." + canonical;
            ColumnSpec spec = table.column(canonical).orElse(null);
            check(spec != null, columnKey, "not a column of " + table.tableName(), "use one of: "
                    + table.columns().stream().map(ColumnSpec::name).collect(Collectors.joining(", ")));
            if (source == null) {
                check(!spec.required(), columnKey, "is required and cannot be unmapped",
                        "map it to the column that holds it, or give it a value or an expression");
                unmapped.add(canonical);
                return;
            }
            int set = (source.column() == null ? 0 : 1) + (source.value() == null ? 0 : 1) + (source.expr() == null ? 0 : 1);
            check(set == 1, columnKey, "needs exactly one of column, value or expr",
                    "e.g. {column: Id}, {value: \"Won\"} or {expr: \"coalesce(won_date, close_date)\"}");
            if (source.column() != null) {
                check(!source.column().isBlank(), columnKey, "source column name is empty",
                        "name the column of your file that holds it");
                if (jdbc) {
                    SqlIdentifier.of(columnKey, source.column());
                }
                renamed.put(canonical, source.column());
            } else if (source.value() != null) {
                derived.put(canonical, new ColumnSource.Constant(source.value()));
            } else {
                check(!source.expr().isBlank(), columnKey + ".expr", "is empty", "write a Spark SQL expression");
                parsesAsExpression(columnKey + ".expr", table, source.expr());
                derived.put(canonical, new ColumnSource.Expression(source.expr()));
            }
        });
        return new Columns(renamed, derived, unmapped);
    }

    private static void parsesAsExpression(String key, CanonicalTable table, String sql) {
        try {
            CatalystSqlParser$.MODULE$.parseExpression(sql);
        } catch (Exception e) {
            // ParseException is checked in Java's eyes but undeclared in Scala.
            if (!(e instanceof ParseException)) {
                throw e;
            }
            throw AuditException.config(key, "'" + sql + "' is not a Spark SQL expression (table " + table.tableName() + ")",
                    "write one expression over the table's own columns, e.g. coalesce(won_date, close_date); "
                            + "quote text as 'Won'");
        }
    }

    /**
     * A query defining a canonical table. Read-only: one SELECT (or WITH ... SELECT) statement. On
     * a local source it is Spark SQL and parsed here; on a warehouse it is the warehouse's SQL,
     * sent as Spark's JDBC {@code query} option, checked for one statement and no writing words.
     */
    static String query(String key, String sql, boolean jdbc) {
        check(!sql.isBlank(), key, "is empty", "write a SELECT over the source's raw tables");
        String text = sql.strip();
        String first = text.replaceAll("^(\\s|--[^\\n]*\\n|/\\*.*?\\*/)*", "").toLowerCase(Locale.ROOT);
        String readOnlyFix = "write a single SELECT (or WITH ... SELECT) statement, without ';'";
        check(first.startsWith("select") || first.startsWith("with"), key, "is not a SELECT", readOnlyFix);
        check(!text.replaceAll(";\\s*$", "").contains(";"), key, "holds more than one statement", readOnlyFix);
        check(!WRITES.matcher(text.replaceAll("'[^']*'", "''")).find(), key,
                "names a statement that writes or changes the session (" + firstWrite(text) + ")", readOnlyFix);
        if (!jdbc) {
            LogicalPlan plan;
            try {
                plan = CatalystSqlParser$.MODULE$.parsePlan(text.replaceAll(";\\s*$", ""));
            } catch (Exception e) {
                if (!(e instanceof ParseException)) {
                    throw e;
                }
                throw AuditException.config(key, "is not a Spark SQL query",
                        "check its syntax in a Spark SQL shell; it may read only the tables under source.raw");
            }
            check(!plan.getClass().getName().contains("Command") && !plan.getClass().getName().contains("Insert"),
                    key, "is not a SELECT", readOnlyFix);
        }
        return text.replaceAll(";\\s*$", "");
    }

    private static String firstWrite(String text) {
        var m = WRITES.matcher(text.replaceAll("'[^']*'", "''"));
        return m.find() ? m.group(1).toUpperCase(Locale.ROOT) : "";
    }

    static Map<String, RawTable> raw(Map<String, ConfigFile.RawFile> raw, FormatOptions base, boolean jdbc) {
        Map<String, RawTable> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        check(!jdbc, "source.raw", "is for a local source",
                "on a warehouse, the query of source.tables.<table>.query names the warehouse's tables itself");
        raw.forEach((name, r) -> {
            String key = "source.raw." + name;
            check(RAW_NAME.matcher(name).matches(), key, "'" + name + "' is not a raw table name",
                    "use lower_snake_case (letters, digits, '_'), e.g. deals");
            check(CanonicalTable.byName(name).isEmpty(), key, "'" + name + "' is the name of a canonical table",
                    "give the raw table a name of its own, e.g. raw_" + name);
            check(r != null && r.path() != null && !r.path().isBlank(), key + ".path", "is missing",
                    "give the file or directory below source.root, e.g. deals.csv");
            out.put(name, new RawTable(name, r.path(), format(key + ".options", r.options(), base)));
        });
        return out;
    }

    private static void check(boolean ok, String key, String problem, String fix) {
        if (!ok) {
            throw AuditException.config(key, problem, fix);
        }
    }
}
