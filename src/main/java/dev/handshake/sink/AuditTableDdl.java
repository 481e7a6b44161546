package dev.handshake.sink;

import dev.handshake.config.SqlIdentifier;
import dev.handshake.jdbc.Warehouse;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.spark.sql.execution.datasources.jdbc.JdbcUtils;
import org.apache.spark.sql.jdbc.JdbcDialect;
import org.apache.spark.sql.jdbc.JdbcDialects;
import org.apache.spark.sql.jdbc.JdbcType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code CREATE TABLE IF NOT EXISTS} of an audit table in a warehouse, column types from the
 * warehouse's dialect. {@code sql/snowflake/audit_tables.sql} is this DDL for Snowflake, kept
 * identical by a test.
 */
public final class AuditTableDdl {
    private AuditTableDdl() {}

    static String createTable(Warehouse warehouse, SqlIdentifier table, StructType flatSchema) {
        JdbcDialect dialect = JdbcDialects.get(warehouse.settings().url());
        return "CREATE TABLE IF NOT EXISTS " + warehouse.qualified(table) + " (\n"
                + Arrays.stream(flatSchema.fields())
                        .map(f -> "    " + warehouse.quote(f.name()) + " " + type(dialect, f.dataType())
                                + (f.name().equals(JdbcSink.RUN_ID) || f.name().equals(JdbcSink.AS_OF) ? " NOT NULL" : ""))
                        .collect(Collectors.joining(",\n"))
                + "\n)";
    }

    /** {@code ALTER TABLE ... ADD COLUMN} for each column of the schema not among {@code present} (lower case). */
    static java.util.List<String> addColumns(Warehouse warehouse, SqlIdentifier table, StructType flatSchema,
                                             java.util.Set<String> present) {
        JdbcDialect dialect = JdbcDialects.get(warehouse.settings().url());
        return Arrays.stream(flatSchema.fields())
                .filter(f -> !present.contains(f.name().toLowerCase(java.util.Locale.ROOT)))
                .map(f -> "ALTER TABLE " + warehouse.qualified(table) + " ADD COLUMN " + warehouse.quote(f.name()) + " "
                        + type(dialect, f.dataType()))
                .toList();
    }

    /** For the DDL file: the table as a Snowflake schema holds it, from the audit's own schema. */
    public static String createTable(Warehouse warehouse, String table, StructType auditSchema) {
        return createTable(warehouse, new SqlIdentifier(table), JdbcSink.flatSchema(auditSchema));
    }

    private static String type(JdbcDialect dialect, DataType type) {
        scala.Option<JdbcType> own = dialect.getJDBCType(type);
        scala.Option<JdbcType> chosen = own.isDefined() ? own : JdbcUtils.getCommonJDBCType(type);
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("no warehouse type for " + type.simpleString());
        }
        return chosen.get().databaseTypeDefinition();
    }
}
