package dev.handshake.source;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** The six value types of the input contract, with the Spark type each is coerced to. */
public enum ColumnType {
    STRING(DataTypes.StringType),
    /** A UTC instant. The session time zone is UTC, so zone-less text is read as UTC. */
    TIMESTAMP(DataTypes.TimestampType),
    DATE(DataTypes.DateType),
    /** Money. Wide enough that no input with cents (or sub-cent FX scale) is rounded on read. */
    DECIMAL(DataTypes.createDecimalType(24, 6)),
    INT(DataTypes.IntegerType),
    BOOLEAN(DataTypes.BooleanType);

    private final DataType sparkType;

    ColumnType(DataType sparkType) {
        this.sparkType = sparkType;
    }

    public DataType sparkType() {
        return sparkType;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
