package dev.handshake.model;

import java.util.Locale;

/**
 * The six dimensions of the handshake benchmark (section 4), in the order the story travels,
 * each with the layer its findings belong to and the direction in which its indicator is better.
 */
public enum Dimension {
    CAPTURE_LINKAGE(Layer.CAPTURE, true, "%",
            "% of opportunities whose campaign evidence survives from lead to opportunity"),
    STAGE_CONSISTENCY(Layer.CRM_STAGE_OWNERSHIP, false, "%",
            "% of leads with a stage anomaly (unmapped label, backward move, skipped stage, reopened after close)"),
    OWNER_CLARITY(Layer.CRM_STAGE_OWNERSHIP, true, "%",
            "% of handoffs with a named receiving owner of the right role and no unlogged owner change after it"),
    OVERRIDE_DISCIPLINE(Layer.CRM_STAGE_OWNERSHIP, true, "%",
            "% of manual changes to governed fields with a logged reason"),
    FINANCE_LAG(Layer.FINANCE_NORMALIZATION, false, "days",
            "p90 days from close to booking visible (unbooked wins count the days elapsed so far)"),
    RECONCILIATION_REPEATABILITY(Layer.FINANCE_NORMALIZATION, true, "%",
            "% of won value MATCHED or explained by a deterministic category (LAGGING, PERIOD_MISMATCH)");

    private final Layer layer;
    private final boolean higherIsBetter;
    private final String unit;
    private final String indicator;

    Dimension(Layer layer, boolean higherIsBetter, String unit, String indicator) {
        this.layer = layer;
        this.higherIsBetter = higherIsBetter;
        this.unit = unit;
        this.indicator = indicator;
    }

    /** The configuration key and output value, e.g. {@code capture_linkage}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Layer layer() {
        return layer;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    public String unit() {
        return unit;
    }

    public String indicator() {
        return indicator;
    }

    /** The CSV summary column of this dimension (docs/outputs.md). */
    public String summaryColumn() {
        return this == CAPTURE_LINKAGE ? "capture_linkage" : this == FINANCE_LAG ? "finance_lag" : key();
    }
}
