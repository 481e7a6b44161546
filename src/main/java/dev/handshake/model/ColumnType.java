package dev.handshake.model;

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

    /**
     * The whole text a value of this type must be when it arrives as text (a CSV field, a text
     * column of a warehouse), or null for any text: the casts alone also take {@code 2026-06} or
     * {@code 2026} as a date, text after a date, and {@code 1e3} as an amount. Dates may carry a
     * time (an export's midnight timestamp); a timestamp may be a whole date (midnight UTC).
     * Possessive and anchored, so a long value is rejected in one pass.
     */
    public String wholeText() {
        String date = "\\d{4}-\\d{2}-\\d{2}";
        String time = "(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9}+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?";
        return switch (this) {
            case DATE, TIMESTAMP -> "^" + date + time + "$";
            case DECIMAL -> "^[+-]?(?:\\d++(?:\\.\\d*+)?|\\.\\d++)$";
            case INT -> "^[+-]?\\d++$";
            case STRING, BOOLEAN -> null;
        };
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
