package dev.handshake.sink;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import dev.handshake.Observed;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import scala.concurrent.duration.Duration;

/**
 * Writes rows and counts them in the same pass, as an observed metric of the write: reading a
 * staged table back to count it cost two more Spark jobs per table (the footer scan Spark runs to
 * infer a Parquet schema, then the count), about forty a night.
 */
final class CountedWrite {
    private static final String ROWS = "rows";

    /** The metric arrives as the write finishes; a wait this long means it never will. */
    private static final Duration WAIT = Duration.create(60, TimeUnit.SECONDS);

    private CountedWrite() {}

    /**
     * Runs {@code write} over {@code rows} with a row count attached and returns that count, or
     * {@code fallback}'s when Spark reported no metric (a plan it answered without running).
     */
    static long write(Dataset<Row> rows, Consumer<Dataset<Row>> write, LongSupplier fallback) {
        Observation observed = new Observation();
        write.accept(rows.observe(observed, count(lit(1)).as(ROWS)));
        return Observed.await(observed, WAIT).filter(m -> !m.isNullAt(m.fieldIndex(ROWS)))
                .map(m -> m.getLong(m.fieldIndex(ROWS))).orElseGet(fallback::getAsLong);
    }
}
