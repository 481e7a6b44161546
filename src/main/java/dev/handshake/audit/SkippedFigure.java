package dev.handshake.audit;

import static java.util.Objects.requireNonNull;

/** A figure the run did not compute, or computed from less evidence, and why: never a silent zero. */
public record SkippedFigure(String figure, String reason) {
    public SkippedFigure {
        requireNonNull(figure, "figure is null");
        requireNonNull(reason, "reason is null");
    }
}
