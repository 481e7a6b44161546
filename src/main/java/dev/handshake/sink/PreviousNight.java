package dev.handshake.sink;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;

/** An earlier committed night a run compares itself with: the run that wrote it and its {@code as_of}. */
public record PreviousNight(String runId, LocalDate asOf) {
    public PreviousNight {
        requireNonNull(runId, "runId is null");
        requireNonNull(asOf, "asOf is null");
    }
}
