package dev.handshake;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Times each step of a run and logs one numbered line per step with its row count and duration. */
public final class Steps {
    private static final Logger LOG = LoggerFactory.getLogger(Steps.class);

    /** A finished step, as recorded in {@code audit_run}. */
    public record Timing(String step, long rows, double seconds) {}

    private final List<Timing> timings = new ArrayList<>();

    public <T> T step(String name, Supplier<T> work, ToLongFunction<T> rows) {
        long start = System.nanoTime();
        T result = work.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        long n = rows.applyAsLong(result);
        timings.add(new Timing(name, n, seconds));
        // Numbered, so a person watching the log sees the run advance ("step 7 handoff evaluation").
        LOG.info("step {} {}: rows={} seconds={}", timings.size(), name, n,
                String.format(java.util.Locale.ROOT, "%.2f", seconds));
        return result;
    }

    public void note(String message) {
        LOG.info(message);
    }

    /** A fact about the input the run reports and carries on with. */
    public void warn(String message) {
        LOG.warn(message);
    }

    public List<Timing> timings() {
        return List.copyOf(timings);
    }
}
