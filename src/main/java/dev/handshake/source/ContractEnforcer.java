package dev.handshake.source;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.substring_index;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.apache.spark.sql.functions.year;

import dev.handshake.AuditException;
import dev.handshake.config.AuditConfig.TableMapping;
import dev.handshake.model.CanonicalTable;
import dev.handshake.model.ColumnSpec;
import dev.handshake.model.ColumnType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Enforces the input contract on one raw table: maps source columns to canonical names, coerces
 * types, and gives every row that breaks the contract a reason. Pure: no I/O, no actions.
 *
 * <p>A row is rejected when a required value is missing, a present value does not parse as its
 * type, the line itself is malformed, or its key is duplicated. Exact copies of a keyed row keep
 * one copy; copies that disagree are all rejected, because nothing says which one is true.
 */
public final class ContractEnforcer {
    /** Starts the name of every internal column of this class (Deequ's COL_PREFIX), so none collides. */
    private static final String PREFIX = "__contract_";
    /** Internal column holding the reasons a row breaks the contract; null for a good row. */
    public static final String REASON = PREFIX + "reason";
    static final String ROW_KEY = PREFIX + "row_key";
    static final String RAW_RECORD = PREFIX + "raw_record";
    static final String ROW_ID = PREFIX + "row_id";
    private static final String DUP = PREFIX + "dup_";

    private static final String SOURCE = PREFIX + "source_";
    private static final String EMAIL_DOMAIN = "email_domain";

    // The reasons a row is rejected, as the quarantine's reason column states them. Public because
    // readers of that column (InputFindings) find the column a reason names by these prefixes.
    /** Between the reasons of a row that breaks the contract more than once. */
    public static final String REASON_SEPARATOR = "; ";
    public static final String MALFORMED_LINE = "malformed line: wrong number of fields or broken quoting";
    /** Followed by the column. */
    public static final String MISSING_REQUIRED = "missing required value: ";
    /** Followed by the key columns, comma-separated. */
    public static final String DUPLICATE_CONFLICTING = "duplicate key with conflicting values: ";
    /** Followed by the key columns, comma-separated. */
    public static final String DUPLICATE_COPY = "duplicate key, identical copy of an accepted row: ";

    private ContractEnforcer() {}

    /** "invalid date: ", followed by the column (and, for a date read as text, the patterns tried). */
    public static String invalid(ColumnType type) {
        return "invalid " + type.label() + ": ";
    }

    /** The prefixes of every reason that goes on to name a column (all but {@link #MALFORMED_LINE}). */
    public static List<String> prefixesNamingAColumn() {
        List<String> out = new ArrayList<>(List.of(MISSING_REQUIRED, DUPLICATE_CONFLICTING, DUPLICATE_COPY));
        Arrays.stream(ColumnType.values()).map(ContractEnforcer::invalid).forEach(out::add);
        return List.copyOf(out);
    }

    /**
     * The table with canonical columns plus {@link #REASON}, and on rejected rows only
     * {@link #ROW_KEY} and {@link #RAW_RECORD} (raw values as JSON, contact data masked).
     * The composition of {@link #rowChecks}, {@link #duplicateKeys} and {@link #withDuplicates}.
     *
     * @throws AuditException (input contract) when a required column is absent altogether
     */
    public static Dataset<Row> check(CanonicalTable table, Dataset<Row> raw, TableMapping mapping,
                                     String location) {
        Dataset<Row> rows = rowChecks(table, raw, mapping, location);
        return table.key().isEmpty() ? rows : withDuplicates(table, rows, duplicateKeys(table, rows));
    }

    /**
     * Every check that needs only the row itself, as one projection (no shuffle). For a keyed
     * table the rows also carry a row id, which {@link #duplicateKeys} and {@link #withDuplicates}
     * read.
     *
     * @throws AuditException (input contract) when a required column is absent altogether
     */
    public static Dataset<Row> rowChecks(CanonicalTable table, Dataset<Row> read, TableMapping mapping,
                                         String location) {
        Dataset<Row> raw = DerivedColumns.apply(table, mapping, read);
        Map<String, StructField> sourceFields = sourceFields(raw);

        dev.handshake.config.FormatOptions fmt = mapping.format();
        // First the typed values beside the untouched source values; the source values are
        // turned into text only for the rows that are rejected, which is what the record shows.
        List<Column> projection = new ArrayList<>();
        List<Column> problems = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (ColumnSpec spec : table.columns()) {
            String sourceName = mapping.sourceColumn(spec.name());
            StructField field = sourceField(spec, mapping, sourceFields);
            if (field == null) {
                if (spec.required()) {
                    // Every missing column of the table is named at once, not one run at a time.
                    missing.add("table " + table.tableName() + " (" + location + ") has no column '" + sourceName
                            + "' for required column '" + spec.name() + "'. Fix: map it with source.tables."
                            + table.tableName() + ".columns." + spec.name() + ": <your column name>"
                            + " (or {value: ...} / {expr: ...})");
                    continue;
                }
                projection.add(lit(null).cast(spec.type().sparkType()).as(spec.name()));
                projection.add(lit(null).cast(DataTypes.StringType).as(SOURCE + spec.name()));
                continue;
            }
            Column source = raw.col(quote(field.name()));
            Column value = coerce(source, field.dataType(), spec.type(), fmt);
            if (spec.name().equals(EMAIL_DOMAIN)) {
                // Only the domain is carried: an address that slipped in loses its local part.
                value = substring_index(value, "@", -1);
            }
            projection.add(value.as(spec.name()));
            projection.add(source.as(SOURCE + spec.name()));
            // Text that is blank counts as absent; a value of any other type is absent only when null.
            Column present = field.dataType().equals(DataTypes.StringType)
                    ? (fmt.parsesAsContract() ? rawText(spec.name())
                            : TextValues.present(col(SOURCE + spec.name()), fmt)).isNotNull()
                    : col(SOURCE + spec.name()).isNotNull();
            if (spec.required()) {
                problems.add(when(present.equalTo(false), lit(MISSING_REQUIRED + spec.name())));
            }
            problems.add(when(present.and(col(spec.name()).isNull()),
                    lit(invalid(spec.type()) + spec.name()
                            + (field.dataType().equals(DataTypes.StringType) ? TextValues.tried(spec.type(), fmt) : ""))));
        }
        if (!missing.isEmpty()) {
            throw new AuditException(AuditException.Code.INPUT_CONTRACT, String.join("; ", missing));
        }
        boolean csvLines = sourceFields.containsKey(LocalFileSource.CORRUPT_RECORD);
        if (csvLines) {
            projection.add(raw.col(LocalFileSource.CORRUPT_RECORD));
            problems.add(0, when(col(LocalFileSource.CORRUPT_RECORD).isNotNull(),
                    lit(MALFORMED_LINE)));
        }

        Dataset<Row> typed = raw.select(projection.toArray(Column[]::new))
                .withColumn(REASON, nullIfEmpty(concat_ws(REASON_SEPARATOR, problems.toArray(Column[]::new))));

        Column rejected = col(REASON).isNotNull();
        List<Column> out = new ArrayList<>();
        table.columns().forEach(c -> out.add(col(c.name())));
        out.add(col(REASON));
        out.add(when(rejected, rowKey(table)).as(ROW_KEY));
        out.add(when(rejected, maskContacts(csvLines
                ? when(col(LocalFileSource.CORRUPT_RECORD).isNotNull(), capped(col(LocalFileSource.CORRUPT_RECORD)))
                        .otherwise(rawJson(table))
                : rawJson(table))).as(RAW_RECORD));
        if (!table.key().isEmpty()) {
            out.add(monotonically_increasing_id().as(ROW_ID));
        }
        return typed.select(out.toArray(Column[]::new));
    }

    /**
     * The contract's columns the rows carry under their mapped names, derived columns included;
     * {@link #rowChecks} reads every other one as null. Analysis only: runs no Spark job.
     */
    public static Set<String> columnsGiven(CanonicalTable table, Dataset<Row> read, TableMapping mapping) {
        Map<String, StructField> fields = sourceFields(DerivedColumns.apply(table, mapping, read));
        return table.columns().stream().filter(c -> sourceField(c, mapping, fields) != null)
                .map(ColumnSpec::name).collect(Collectors.toUnmodifiableSet());
    }

    /** The source columns by lower-case name: a mapping names a column ignoring its case. */
    private static Map<String, StructField> sourceFields(Dataset<Row> raw) {
        return Arrays.stream(raw.schema().fields())
                .collect(Collectors.toMap(f -> f.name().toLowerCase(Locale.ROOT), f -> f, (a, b) -> a));
    }

    /** The source column a contract column is read from; null when the rows have none. */
    private static StructField sourceField(ColumnSpec spec, TableMapping mapping, Map<String, StructField> fields) {
        String sourceName = mapping.sourceColumn(spec.name());
        return sourceName == null ? null : fields.get(sourceName.toLowerCase(Locale.ROOT));
    }

    /**
     * The keys that more than one row passing its row checks carries: one row per such key with
     * whether the copies disagree and which copy an identical set keeps. Small in any sane input
     * (the copies a source duplicated), and found by an aggregate over key hashes, so the wide
     * rows are never shuffled to find them. The repeated hashes are broadcast: 8 bytes per
     * duplicated key.
     */
    public static Dataset<Row> duplicateKeys(CanonicalTable table, Dataset<Row> rows) {
        Dataset<Row> valid = rows.filter(col(REASON).isNull());
        // Keys are first compared by a 64-bit hash (a fast aggregate over longs); only rows whose
        // hash repeats, the duplicates and the odd collision, are grouped by the key itself.
        Column keyHash = keyHash(table);
        Dataset<Row> repeated = valid.groupBy(keyHash.as(DUP + "hash")).agg(count(lit(1)).as(DUP + "copies"))
                .filter(col(DUP + "copies").gt(1)).select(col(DUP + "hash"));
        List<Column> keys = table.key().stream().map(k -> col(k).as(DUP + k)).toList();
        // Copies disagree when a hash of their typed values differs: hashed here, on the few rows
        // whose key repeats, rather than on every row in the row checks.
        Column rowHash = xxhash64(table.columns().stream().map(c -> col(c.name())).toArray(Column[]::new));
        return valid.join(broadcast(repeated), keyHash.equalTo(col(DUP + "hash")), "left_semi")
                .groupBy(keys.toArray(Column[]::new))
                .agg(count(lit(1)).as(DUP + "copies"),
                        min(rowHash).notEqual(max(rowHash)).as(DUP + "conflicting"),
                        min(col(ROW_ID)).as(DUP + "kept"))
                .filter(col(DUP + "copies").gt(1));
    }

    /**
     * One row: the rows read, how many pass the row checks, how many of those are deleted, and
     * (for a keyed table; null otherwise, or when no row passes) the most of them that share a key
     * hash. Most copies 1 means no key repeats, and the second and third are then the accepted and
     * deleted counts: the key check and the counting in one aggregate over longs.
     */
    private static Dataset<Row> counts(CanonicalTable table, Dataset<Row> rows, Column deleted) {
        Column valid = col(REASON).isNull();
        List<Implausible> checks = implausible(table);
        if (table.key().isEmpty()) {
            List<Column> aggs = new ArrayList<>(List.of(count(lit(1)), count_if(valid), count_if(valid.and(deleted)),
                    lit(null).cast(DataTypes.LongType)));
            checks.forEach(c -> aggs.add(count_if(valid.and(c.condition()))));
            return rows.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
        }
        // Rejected rows are grouped apart under a null hash, with no valid copy.
        List<Column> perKey = new ArrayList<>(List.of(count_if(valid).as(DUP + "copies"),
                count_if(valid.and(deleted)).as(DUP + "deleted")));
        List<Column> total = new ArrayList<>(List.of(coalesce(sum(DUP + "copies"), lit(0L)),
                coalesce(sum(DUP + "deleted"), lit(0L)), max(when(col(DUP + "hash").isNotNull(), col(DUP + "copies")))));
        for (int i = 0; i < checks.size(); i++) {
            perKey.add(count_if(valid.and(checks.get(i).condition())).as(DUP + "implausible" + i));
            total.add(coalesce(sum(DUP + "implausible" + i), lit(0L)));
        }
        return rows.groupBy(when(valid, keyHash(table)).as(DUP + "hash"))
                .agg(count(lit(1)).as(DUP + "rows"), perKey.toArray(Column[]::new))
                .agg(coalesce(sum(DUP + "rows"), lit(0L)), total.toArray(Column[]::new));
    }

    /**
     * The counts of one checked table, read back here from the aggregate {@link #counts} defines,
     * so no other class knows its column positions.
     *
     * @param mostCopies for a keyed table with accepted rows, the most accepted rows sharing a key hash
     * @param implausible accepted rows per {@link #implausible(CanonicalTable)} check, in its order
     */
    record Counts(long read, long accepted, long deleted, OptionalLong mostCopies, long[] implausible) {
        /** Whether some key is held by more than one accepted row. */
        boolean keyRepeats() {
            return mostCopies.isPresent() && mostCopies.getAsLong() > 1;
        }
    }

    /** Counts the rows read, accepted and deleted, and checks the key, in one aggregate (one small row). */
    static Counts countRows(CanonicalTable table, Dataset<Row> rows, Column deleted) {
        Row r = counts(table, rows, deleted).first();
        long[] implausible = new long[r.length() - 4];
        for (int i = 0; i < implausible.length; i++) {
            implausible[i] = r.getLong(4 + i);
        }
        return new Counts(r.getLong(0), r.getLong(1), r.getLong(2),
                r.isNullAt(3) ? OptionalLong.empty() : OptionalLong.of(r.getLong(3)), implausible);
    }

    /** Years outside which a date is taken for a typo or a placeholder (1900-01-01, 9999-12-31). */
    public static final int EARLIEST_PLAUSIBLE_YEAR = 1950;
    public static final int LATEST_PLAUSIBLE_YEAR = 2200;

    /**
     * Values the contract accepts but that are implausible: counted on the accepted rows and
     * reported with the run, never silently taken. {@code what} completes "N accepted row(s) ...".
     */
    public record Implausible(String what, Column condition) {}

    /**
     * A date or timestamp outside {@link #EARLIEST_PLAUSIBLE_YEAR}..{@link #LATEST_PLAUSIBLE_YEAR},
     * and a negative amount or cost outside bookings (where negatives are reversals and credits,
     * section "bookings" of the input contract).
     */
    public static List<Implausible> implausible(CanonicalTable table) {
        List<Implausible> out = new ArrayList<>();
        List<String> dates = table.columns().stream()
                .filter(c -> c.type() == ColumnType.DATE || c.type() == ColumnType.TIMESTAMP).map(ColumnSpec::name).toList();
        if (!dates.isEmpty()) {
            out.add(new Implausible("with a date before " + EARLIEST_PLAUSIBLE_YEAR + " or after " + LATEST_PLAUSIBLE_YEAR
                    + " in " + String.join(", ", dates), dates.stream()
                    .map(d -> coalesce(year(col(d)).lt(EARLIEST_PLAUSIBLE_YEAR).or(year(col(d)).gt(LATEST_PLAUSIBLE_YEAR)),
                            lit(false)))
                    .reduce(Column::or).orElseThrow()));
        }
        List<String> money = table == CanonicalTable.BOOKINGS ? List.of() : table.columns().stream()
                .filter(c -> c.type() == ColumnType.DECIMAL).map(ColumnSpec::name).toList();
        if (!money.isEmpty()) {
            out.add(new Implausible("with a negative " + String.join(" or ", money), money.stream()
                    .map(m -> coalesce(col(m).lt(0), lit(false))).reduce(Column::or).orElseThrow()));
        }
        return out;
    }

    private static Column keyHash(CanonicalTable table) {
        return xxhash64(table.key().stream().map(k -> col(k)).toArray(Column[]::new));
    }

    /**
     * The row checks with the key check applied from {@link #duplicateKeys}: copies that disagree
     * are all rejected, identical copies keep one. A duplicate passed every row check, so its
     * record is shown as parsed (the typed values as JSON, contact data masked).
     */
    public static Dataset<Row> withDuplicates(CanonicalTable table, Dataset<Row> rows, Dataset<Row> duplicates) {
        Column joinOn = table.key().stream().map(k -> col(k).equalTo(col(DUP + k))).reduce(Column::and).orElseThrow();
        String keyLabel = String.join(", ", table.key());
        Column valid = col(REASON).isNull();
        Column duplicate = valid.and(col(DUP + "copies").isNotNull());
        Column dupReason = when(col(DUP + "conflicting"), lit(DUPLICATE_CONFLICTING + keyLabel))
                .when(col(ROW_ID).notEqual(col(DUP + "kept")), lit(DUPLICATE_COPY + keyLabel));
        Column parsedJson = to_json(struct(table.columns().stream()
                .map(c -> capped(col(c.name()).cast(DataTypes.StringType)).as(c.name())).toArray(Column[]::new)));
        Dataset<Row> joined = rows.join(duplicates, joinOn, "left")
                .withColumn(REASON, when(duplicate, dupReason).otherwise(col(REASON)));
        List<Column> out = new ArrayList<>();
        table.columns().forEach(c -> out.add(col(c.name())));
        out.add(col(REASON));
        out.add(when(col(REASON).isNotNull(), coalesce(col(ROW_KEY), maskContacts(nullIfEmpty(concat_ws("|",
                table.key().stream().map(k -> capped(col(k).cast(DataTypes.StringType))).toArray(Column[]::new))))))
                .as(ROW_KEY));
        out.add(when(col(REASON).isNotNull(), coalesce(col(RAW_RECORD), maskContacts(parsedJson))).as(RAW_RECORD));
        return joined.select(out.toArray(Column[]::new));
    }

    /** Accepted rows with canonical columns only. */
    public static Dataset<Row> accepted(CanonicalTable table, Dataset<Row> checked) {
        return checked.filter(col(REASON).isNull())
                .select(table.columns().stream().map(c -> col(c.name())).toArray(Column[]::new));
    }

    /** Rejected rows in the quarantine shape. */
    public static Dataset<Row> quarantined(CanonicalTable table, Dataset<Row> checked) {
        return checked.filter(col(REASON).isNotNull()).select(
                lit(table.tableName()).as(Quarantine.SOURCE_TABLE),
                col(ROW_KEY).as(Quarantine.ROW_KEY),
                col(REASON).as(Quarantine.REASON),
                col(RAW_RECORD).as(Quarantine.RAW_RECORD));
    }

    private static Column coerce(Column source, DataType sourceType, ColumnType target,
                                 dev.handshake.config.FormatOptions fmt) {
        if (!fmt.parsesAsContract()) {
            if (target == ColumnType.STRING) {
                return TextValues.present(source.cast(DataTypes.StringType), fmt);
            }
            if (sourceType.equals(target.sparkType())) {
                return source;
            }
            return sourceType.equals(DataTypes.StringType)
                    ? TextValues.parse(TextValues.present(source, fmt), target, fmt)
                    : source.try_cast(target.sparkType());
        }
        if (target == ColumnType.STRING) {
            return blankToNull(source.cast(DataTypes.StringType));
        }
        if (sourceType.equals(target.sparkType())) {
            return source;
        }
        if (sourceType.equals(DataTypes.StringType)) {
            Column text = blankToNull(source);
            // Parsed whole: text the cast would read loosely (a partial date, trailing text, an
            // exponent) is no value of the type, so the row is quarantined as invalid.
            Column whole = target.wholeText() == null ? text : when(text.rlike(target.wholeText()), text);
            return whole.try_cast(target.sparkType());
        }
        return source.try_cast(target.sparkType());
    }

    private static Column blankToNull(Column text) {
        Column trimmed = trim(text);
        return when(trimmed.notEqual(lit("")), trimmed);
    }

    private static Column nullIfEmpty(Column text) {
        return when(text.notEqual(lit("")), text);
    }

    /** A source value as the trimmed text it was given in; null when absent or blank. */
    private static Column rawText(String name) {
        return blankToNull(col(SOURCE + name).cast(DataTypes.StringType));
    }

    /** {@link #rawText} as it may be stored: capped, before any pattern runs on it. */
    private static Column storedText(String name) {
        return capped(rawText(name));
    }

    private static Column rowKey(CanonicalTable table) {
        List<String> keyColumns = table.key().isEmpty()
                ? List.of(table.columns().get(0).name()) : table.key();
        return maskContacts(nullIfEmpty(concat_ws("|",
                keyColumns.stream().map(ContractEnforcer::storedText).toArray(Column[]::new))));
    }

    private static Column rawJson(CanonicalTable table) {
        return to_json(struct(table.columns().stream()
                .map(c -> storedText(c.name()).as(c.name())).toArray(Column[]::new)));
    }

    /**
     * The local part of an address: a run of anything but delimiters (so non-ASCII letters too),
     * or a quoted local part (plain, JSON-escaped or CSV-doubled quotes, up to 64 characters, the
     * RFC 5321 limit), followed by {@code @} and a domain of any shape ({@code eve@localhost}).
     * Linear time: an attempt starts only after a delimiter (the look-behind fails at once
     * elsewhere) and the possessive run never backtracks, so each character is scanned a bounded
     * number of times; the values are capped before ({@link Quarantine#RAW_VALUE_CAP}) as well.
     */
    private static final String DELIMITERS = "\\s\",;:<>()\\[\\]{}\\\\|";
    static final String LOCAL_PART = "(?<![^" + DELIMITERS + "])"
            + "(?:(?:\\\\|\")?\"[^\"@]{1,64}+(?:\\\\|\")?\"|[^" + DELIMITERS + "@]++)@(?=[\\p{L}\\p{N}\\[])";

    /** Outputs carry no personal contact data: e-mail local parts are masked. */
    static Column maskContacts(Column text) {
        return regexp_replace(text, LOCAL_PART, "***@");
    }

    /**
     * What a cut may end in that could be the start of an address the masking can no longer see
     * whole (a local part without its {@code @}, or with its {@code @} but no domain): a quoted
     * local part (closed or not, with or without its {@code @}), or the last token. Attempts start
     * only at a quote or after a delimiter, and each scans a bounded run, so the search is linear.
     */
    static final String CUT_TAIL = "(?:(?:\\\\|\")?\"[^\"@]{0,64}+(?:(?:\\\\|\")?\"@?)?"
            + "|(?<![^" + DELIMITERS + "])[^" + DELIMITERS + "]++)$";

    /**
     * A raw value cut to {@link Quarantine#RAW_VALUE_CAP} characters, saying so when it was; a
     * token the cut went through is replaced by {@code ***}, so a cut address leaks no part.
     */
    static Column capped(Column text) {
        Column kept = regexp_replace(substring(text, 1, Quarantine.RAW_VALUE_CAP), CUT_TAIL, "***");
        return when(length(text).gt(Quarantine.RAW_VALUE_CAP), concat(kept,
                lit("...[cut at " + Quarantine.RAW_VALUE_CAP + " of "), length(text).cast(DataTypes.StringType),
                lit(" characters]"))).otherwise(text);
    }

    static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

}
