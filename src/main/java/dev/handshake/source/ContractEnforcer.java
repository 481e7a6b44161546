package dev.handshake.source;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring_index;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.handshake.AuditException;
import dev.handshake.config.AuditConfig.TableMapping;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
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
    /** Internal column holding the reasons a row breaks the contract; null for a good row. */
    public static final String REASON = "__reason";
    static final String ROW_KEY = "__row_key";
    static final String RAW_RECORD = "__raw_record";

    private static final String RAW = "__raw_";
    private static final String EMAIL_DOMAIN = "email_domain";

    private ContractEnforcer() {}

    /**
     * The table with canonical columns plus {@link #REASON}, {@link #ROW_KEY} and
     * {@link #RAW_RECORD} (raw values as JSON, only on rejected rows, contact data masked).
     *
     * @throws AuditException (input contract) when a required column is absent altogether
     */
    public static Dataset<Row> check(CanonicalTable table, Dataset<Row> raw, TableMapping mapping,
                                     String location) {
        Map<String, StructField> sourceFields = Arrays.stream(raw.schema().fields())
                .collect(Collectors.toMap(f -> f.name().toLowerCase(Locale.ROOT), f -> f, (a, b) -> a));

        List<Column> projection = new ArrayList<>();
        List<Column> problems = new ArrayList<>();
        for (ColumnSpec spec : table.columns()) {
            String sourceName = mapping.sourceColumn(spec.name());
            StructField field = sourceFields.get(sourceName.toLowerCase(Locale.ROOT));
            if (field == null) {
                if (spec.required()) {
                    throw new AuditException(AuditException.Code.INPUT_CONTRACT, "table "
                            + table.tableName() + " (" + location + ") has no column '" + sourceName
                            + "' for required column '" + spec.name() + "'. Fix: map it with source.tables."
                            + table.tableName() + ".columns." + spec.name() + ": <your column name>");
                }
                projection.add(lit(null).cast(spec.type().sparkType()).as(spec.name()));
                projection.add(lit(null).cast(DataTypes.StringType).as(RAW + spec.name()));
                continue;
            }
            Column source = raw.col(quote(field.name()));
            Column rawText = blankToNull(source.cast(DataTypes.StringType));
            Column value = coerce(source, field.dataType(), spec.type());
            if (spec.name().equals(EMAIL_DOMAIN)) {
                // Only the domain is carried: an address that slipped in loses its local part.
                value = substring_index(value, "@", -1);
            }
            projection.add(value.as(spec.name()));
            projection.add(rawText.as(RAW + spec.name()));
            Column rawAfter = col(RAW + spec.name());
            if (spec.required()) {
                problems.add(when(rawAfter.isNull(), lit("missing required value: " + spec.name())));
            }
            problems.add(when(rawAfter.isNotNull().and(col(spec.name()).isNull()),
                    lit("invalid " + spec.type().label() + ": " + spec.name())));
        }
        boolean csvLines = sourceFields.containsKey(LocalFileSource.CORRUPT_RECORD);
        if (csvLines) {
            projection.add(raw.col(LocalFileSource.CORRUPT_RECORD));
            problems.add(0, when(col(LocalFileSource.CORRUPT_RECORD).isNotNull(),
                    lit("malformed line: wrong number of fields or broken quoting")));
        }

        Dataset<Row> typed = raw.select(projection.toArray(Column[]::new))
                .withColumn(REASON, nullIfEmpty(concat_ws("; ", problems.toArray(Column[]::new))));
        Dataset<Row> checked = table.key().isEmpty() ? typed : withKeyCheck(table, typed);

        List<Column> out = new ArrayList<>();
        table.columns().forEach(c -> out.add(col(c.name())));
        out.add(col(REASON));
        out.add(rowKey(table).as(ROW_KEY));
        out.add(when(col(REASON).isNotNull(), maskContacts(csvLines
                ? when(col(LocalFileSource.CORRUPT_RECORD).isNotNull(), col(LocalFileSource.CORRUPT_RECORD))
                        .otherwise(rawJson(table))
                : rawJson(table))).as(RAW_RECORD));
        return checked.select(out.toArray(Column[]::new));
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

    private static Dataset<Row> withKeyCheck(CanonicalTable table, Dataset<Row> typed) {
        // One window over the key: among rows that passed the per-row checks, identical copies
        // hash alike and disagreeing copies do not.
        Column[] keyCols = table.key().stream().map(k -> col(k)).toArray(Column[]::new);
        Column valid = col(REASON).isNull();
        Column rowHash = xxhash64(table.columns().stream().map(c -> col(c.name())).toArray(Column[]::new));
        WindowSpec byKey = Window.partitionBy(keyCols);
        String keyLabel = String.join(", ", table.key());
        Column copies = count(when(valid, lit(1))).over(byKey);
        Column distinct = min(when(valid, rowHash)).over(byKey).notEqual(max(when(valid, rowHash)).over(byKey));
        Column position = row_number().over(byKey.orderBy(valid.desc(), rowHash));
        Column dupReason = when(valid.and(copies.gt(1)).and(distinct),
                lit("duplicate key with conflicting values: " + keyLabel))
                .when(valid.and(copies.gt(1)).and(position.gt(1)),
                        lit("duplicate key, identical copy of an accepted row: " + keyLabel));
        return typed.withColumn(REASON, when(valid, dupReason).otherwise(col(REASON)));
    }

    private static Column coerce(Column source, DataType sourceType, ColumnType target) {
        if (target == ColumnType.STRING) {
            return blankToNull(source.cast(DataTypes.StringType));
        }
        if (sourceType.equals(target.sparkType())) {
            return source;
        }
        Column input = sourceType.equals(DataTypes.StringType) ? blankToNull(source) : source;
        return input.try_cast(target.sparkType());
    }

    private static Column blankToNull(Column text) {
        Column trimmed = trim(text);
        return when(trimmed.notEqual(lit("")), trimmed);
    }

    private static Column nullIfEmpty(Column text) {
        return when(text.notEqual(lit("")), text);
    }

    private static Column rowKey(CanonicalTable table) {
        List<String> keyColumns = table.key().isEmpty()
                ? List.of(table.columns().get(0).name()) : table.key();
        return nullIfEmpty(concat_ws("|", keyColumns.stream().map(k -> col(RAW + k)).toArray(Column[]::new)));
    }

    private static Column rawJson(CanonicalTable table) {
        return to_json(struct(table.columns().stream()
                .map(c -> col(RAW + c.name()).as(c.name())).toArray(Column[]::new)));
    }

    /** Outputs carry no personal contact data: e-mail local parts are masked. */
    static Column maskContacts(Column text) {
        return regexp_replace(text, "[A-Za-z0-9._%+'-]+@([A-Za-z0-9-]+\\.)", "***@$1");
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

}
