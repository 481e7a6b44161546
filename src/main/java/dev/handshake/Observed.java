package dev.handshake;

import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import scala.concurrent.Await;
import scala.concurrent.duration.Duration;

/**
 * The metrics Spark observed during an action ({@code Dataset.observe}). Spark hands them over on
 * its listener bus once the action's job has ended: normally at once, but a lost event must not
 * hang the run, so the wait is bounded and its caller decides what a missing count means.
 */
public final class Observed {
    private Observed() {}

    /** The observed row, or empty when Spark did not hand it over within {@code wait}. */
    public static Optional<Row> await(Observation observation, Duration wait) {
        try {
            return Optional.of(Await.result(observation.future(), wait));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
