package dev.handshake.model;

import java.util.Arrays;
import java.util.List;

/** The canonical funnel stages of section 1, in order; {@link #order()} is 1-based. */
public enum Stage {
    CAPTURED, MQL, ASSIGNED, WORKED, SAL, OPPORTUNITY, WON, BOOKED;

    public int order() {
        return ordinal() + 1;
    }

    public static List<Stage> inOrder() {
        return Arrays.asList(values());
    }
}
