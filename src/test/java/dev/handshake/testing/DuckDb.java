package dev.handshake.testing;

import dev.handshake.config.SqlIdentifier;
import dev.handshake.config.WarehouseSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Locale;
import java.util.Properties;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.jdbc.JdbcDialect;
import org.apache.spark.sql.jdbc.JdbcDialects;
import org.apache.spark.sql.jdbc.JdbcType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampType;
import scala.Option;

/**
 * An in-process DuckDB database file as the JDBC warehouse of a test. Spark has no DuckDB dialect
 * and its defaults (BIT(1) for booleans) do not fit, so a minimal one is registered here; the
 * production code paths are the generic JDBC ones.
 */
public final class DuckDb {
    private DuckDb() {}

    private static final class Dialect extends JdbcDialect {
        private static final long serialVersionUID = 1L;
        static final Dialect INSTANCE = new Dialect();

        @Override
        public boolean canHandle(String url) {
            return url.toLowerCase(Locale.ROOT).startsWith("jdbc:duckdb:");
        }

        /** DuckDB sets no SQLState; Spark asks this when it probes whether a table exists. */
        @Override
        public boolean isObjectNotFoundException(java.sql.SQLException e) {
            return String.valueOf(e.getMessage()).contains("does not exist") || super.isObjectNotFoundException(e);
        }

        @Override
        public Option<JdbcType> getJDBCType(DataType dt) {
            if (dt instanceof BooleanType) {
                return Option.apply(new JdbcType("BOOLEAN", Types.BOOLEAN));
            }
            if (dt instanceof StringType) {
                return Option.apply(new JdbcType("VARCHAR", Types.VARCHAR));
            }
            if (dt instanceof TimestampType) {
                return Option.apply(new JdbcType("TIMESTAMP", Types.TIMESTAMP));
            }
            if (dt instanceof DoubleType) {
                return Option.apply(new JdbcType("DOUBLE", Types.DOUBLE));
            }
            return Option.empty();
        }
    }

    public static String url(Path file) {
        return "jdbc:duckdb:" + file.toAbsolutePath();
    }

    /** A connection with no credentials; {@code schema} null = DuckDB's default schema. */
    public static WarehouseSettings settings(Path file, String schema) {
        return new WarehouseSettings(url(file), WarehouseSettings.Kind.GENERIC, null, null, null, null,
                schema == null ? null : new SqlIdentifier(schema), new WarehouseSettings.Auth.None(), 1000, true);
    }

    public static void execute(Path file, Properties props, String... sql) {
        try (Connection c = DriverManager.getConnection(url(file), props); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void execute(Path file, String... sql) {
        execute(file, new Properties(), sql);
    }

    /** Loads rows into a new table, as a landing tool (Fivetran, an ERP export) would. */
    public static void load(Path file, Properties props, String table, Dataset<Row> rows) {
        Properties p = new Properties();
        p.putAll(props);
        rows.write().mode(SaveMode.Overwrite).jdbc(url(file), table, p);
    }

    private static void registerOnce() {
        JdbcDialects.registerDialect(Dialect.INSTANCE);
    }

    static {
        registerOnce();
    }
}
