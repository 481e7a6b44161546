package dev.handshake.config;

import static dev.handshake.config.ConfigChecks.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The label mappings (docs/configuration.md): {@code stage_mapping}, {@code role_mapping},
 * {@code reason_categories} and booking statuses, raw CRM labels to canonical values, each label
 * mapped once, matched ignoring case and spacing.
 */
final class LabelSections {
    private LabelSections() {}

    /** A known label that is evidence of no stage (a rejection, a loss). */
    static final String NONE_STAGE = "NONE";
    static final List<String> ROLES =
            List.of("SDR", "AE", "MANAGER", "REVOPS", "FINANCE", "MARKETING", "SYSTEM");
    static final List<String> REASON_CATEGORIES =
            List.of("qualification", "timing", "information", "commercial", "other");

    static LabelMapping labels(String key, Map<String, List<String>> raw, List<String> allowed) {
        Map<String, String> byLabel = new LinkedHashMap<>();
        if (raw == null) {
            return new LabelMapping(byLabel);
        }
        raw.forEach((value, labels) -> {
            String entryKey = key + "." + value;
            check(allowed.contains(value), entryKey, "'" + value + "' is not allowed here",
                    "use one of: " + String.join(", ", allowed));
            check(labels != null, entryKey, "has no labels", "list the raw labels, e.g. [\"Label A\"]");
            for (String label : labels) {
                check(label != null && !label.isBlank(), entryKey, "contains an empty label",
                        "remove it");
                String previous = byLabel.putIfAbsent(LabelMapping.normalize(label), value);
                check(previous == null, entryKey, "label '" + label + "' is already mapped to "
                        + previous, "map each label once (matching ignores case and spaces)");
            }
        });
        return new LabelMapping(byLabel);
    }
}
