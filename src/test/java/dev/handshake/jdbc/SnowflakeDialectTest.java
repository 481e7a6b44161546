package dev.handshake.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Types;
import org.apache.spark.sql.jdbc.JdbcDialects;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MetadataBuilder;
import org.junit.jupiter.api.Test;

class SnowflakeDialectTest {
    private static final SnowflakeDialect D = SnowflakeDialect.INSTANCE;

    private static DataType read(int sqlType, String typeName, int precision, long scale) {
        return D.getCatalystType(sqlType, typeName, precision, new MetadataBuilder().putLong("scale", scale)).get();
    }

    @Test
    void handlesSnowflakeUrlsOnly() {
        assertTrue(D.canHandle("jdbc:snowflake://myorg-acct.snowflakecomputing.com/"));
        assertTrue(D.canHandle("JDBC:SNOWFLAKE://x"));
        assertFalse(D.canHandle("jdbc:postgresql://host/db"));
        assertFalse(D.canHandle("jdbc:duckdb:/tmp/x.db"));
    }

    @Test
    void isTheDialectSparkPicksOnceRegistered() {
        JdbcDialects.registerDialect(D);
        assertEquals("\"A\"\"B\"", JdbcDialects.get("jdbc:snowflake://acct.snowflakecomputing.com/").quoteIdentifier("A\"B"));
    }

    @Test
    void quotesIdentifiersExactlyAndDoublesEmbeddedQuotes() {
        assertEquals("\"LEAD\"", D.quoteIdentifier("LEAD"));
        assertEquals("\"user\"", D.quoteIdentifier("user"));
        // An attempt to close the quote stays part of the name.
        assertEquals("\"x\"\"; DROP TABLE t; --\"", D.quoteIdentifier("x\"; DROP TABLE t; --"));
    }

    @Test
    void readsNumberByScaleAndPrecision() {
        assertEquals(DataTypes.IntegerType, read(Types.DECIMAL, "NUMBER", 9, 0));
        assertEquals(DataTypes.LongType, read(Types.DECIMAL, "NUMBER", 18, 0));
        // Snowflake's INTEGER is NUMBER(38,0): too wide for a long.
        assertEquals(DataTypes.createDecimalType(38, 0), read(Types.DECIMAL, "NUMBER", 38, 0));
        assertEquals(DataTypes.createDecimalType(24, 6), read(Types.DECIMAL, "NUMBER", 24, 6));
        assertEquals(DataTypes.createDecimalType(38, 2), read(Types.NUMERIC, "NUMBER(38,2)", 38, 2));
        assertEquals(DataTypes.DoubleType, read(Types.DOUBLE, "FLOAT", 38, 0));
    }

    @Test
    void readsTextBooleanDatesAndEveryTimestampFlavourAsInstants() {
        assertEquals(DataTypes.StringType, read(Types.VARCHAR, "VARCHAR", 16777216, 0));
        assertEquals(DataTypes.StringType, read(Types.VARCHAR, "TEXT", 16777216, 0));
        assertEquals(DataTypes.StringType, read(Types.VARCHAR, "VARIANT", 0, 0));
        assertEquals(DataTypes.BooleanType, read(Types.BOOLEAN, "BOOLEAN", 1, 0));
        assertEquals(DataTypes.DateType, read(Types.DATE, "DATE", 10, 0));
        for (String ts : new String[] {"TIMESTAMP_NTZ", "TIMESTAMPNTZ", "TIMESTAMP_LTZ", "TIMESTAMPLTZ",
                "TIMESTAMP_TZ", "TIMESTAMPTZ"}) {
            assertEquals(DataTypes.TimestampType, read(Types.TIMESTAMP, ts, 29, 9), ts);
        }
        assertTrue(D.getCatalystType(Types.OTHER, "GEOGRAPHY", 0, new MetadataBuilder()).isEmpty(),
                "unknown types are left to Spark's defaults");
    }

    @Test
    void writesSnowflakeTypes() {
        assertEquals("VARCHAR", D.getJDBCType(DataTypes.StringType).get().databaseTypeDefinition());
        assertEquals("BOOLEAN", D.getJDBCType(DataTypes.BooleanType).get().databaseTypeDefinition());
        assertEquals("TIMESTAMP_NTZ", D.getJDBCType(DataTypes.TimestampType).get().databaseTypeDefinition());
        assertEquals("DATE", D.getJDBCType(DataTypes.DateType).get().databaseTypeDefinition());
        assertEquals("NUMBER(24,6)", D.getJDBCType(DataTypes.createDecimalType(24, 6)).get().databaseTypeDefinition());
        assertEquals("NUMBER(10,0)", D.getJDBCType(DataTypes.IntegerType).get().databaseTypeDefinition());
        assertEquals("NUMBER(19,0)", D.getJDBCType(DataTypes.LongType).get().databaseTypeDefinition());
        assertEquals("FLOAT", D.getJDBCType(DataTypes.DoubleType).get().databaseTypeDefinition());
        assertEquals(Types.TIMESTAMP, D.getJDBCType(DataTypes.TimestampType).get().jdbcNullType());
    }

    @Test
    void writtenWholeNumbersReadBackIntoATypeThatHoldsEveryValue() {
        // int's maximum has 10 digits, so NUMBER(10,0) needs a long; long's 19 digits need a decimal.
        assertEquals(DataTypes.LongType, read(Types.DECIMAL, "NUMBER", 10, 0));
        assertEquals(DataTypes.createDecimalType(19, 0), read(Types.DECIMAL, "NUMBER", 19, 0));
    }
}
