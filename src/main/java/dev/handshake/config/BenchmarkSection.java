package dev.handshake.config;

import static dev.handshake.config.ConfigChecks.check;
import static dev.handshake.config.ConfigChecks.enumValue;

import dev.handshake.AuditException;
import dev.handshake.model.Dimension;
import dev.handshake.model.Layer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The {@code benchmark} and {@code workflows} sections (docs/configuration.md): scoring thresholds
 * and repair owners with their defaults, and the workflows the benchmark scores.
 */
final class BenchmarkSection {
    private BenchmarkSection() {}

    static final List<String> GOVERNED_FIELDS =
            List.of("owner_id", "lead_source", "campaign_id", "stage_name", "amount", "close_date");

    private static final Map<Dimension, BenchmarkSettings.Thresholds> DEFAULT_THRESHOLDS = Map.of(
            Dimension.CAPTURE_LINKAGE, thresholds("95", "80"),
            Dimension.STAGE_CONSISTENCY, thresholds("2", "10"),
            Dimension.OWNER_CLARITY, thresholds("95", "80"),
            Dimension.OVERRIDE_DISCIPLINE, thresholds("90", "60"),
            Dimension.FINANCE_LAG, thresholds("2", "7"),
            Dimension.RECONCILIATION_REPEATABILITY, thresholds("98", "90"));

    private static final Map<Layer, BenchmarkSettings.Repair> DEFAULT_REPAIRS = Map.of(
            Layer.CAPTURE, new BenchmarkSettings.Repair("Marketing Operations",
                    "Tighten capture and campaign-linkage rules so campaign evidence survives conversion"),
            Layer.CRM_STAGE_OWNERSHIP, new BenchmarkSettings.Repair("Revenue Operations",
                    "Reset CRM stage and ownership rules and log every manual override with a reason"),
            Layer.QUALIFICATION_HANDOFF, new BenchmarkSettings.Repair("Sales Development",
                    "Settle the qualification handoff policy: entry criteria, payload, SLA and rejection reasons"),
            Layer.WAREHOUSE_LOGIC, new BenchmarkSettings.Repair("Analytics Engineering",
                    "Patch the warehouse translation layer and label its caveats honestly"),
            Layer.FINANCE_NORMALIZATION, new BenchmarkSettings.Repair("Finance Systems",
                    "Fix the booking handoff so every win reaches finance once, on time and at the CRM amount"));

    private static BenchmarkSettings.Thresholds thresholds(String one, String two) {
        return new BenchmarkSettings.Thresholds(new BigDecimal(one), new BigDecimal(two));
    }

    static BenchmarkSettings benchmark(ConfigFile.Benchmark raw) {
        ConfigFile.Benchmark b = raw == null ? new ConfigFile.Benchmark(null, null, null, null, null, null, null) : raw;
        BigDecimal materiality = b.materialityPct() == null ? new BigDecimal("5") : b.materialityPct();
        check(materiality.signum() >= 0 && materiality.compareTo(BigDecimal.valueOf(100)) <= 0,
                "benchmark.materiality_pct", "must be a percentage between 0 and 100, got " + materiality, null);
        int evidence = b.evidenceIds() == null ? 20 : b.evidenceIds();
        check(evidence >= 0 && evidence <= 1000, "benchmark.evidence_ids", "must be between 0 and 1000, got "
                + evidence, null);
        List<String> governed = b.governedFields() == null ? GOVERNED_FIELDS : b.governedFields();
        List<String> capture = b.captureFields() == null ? List.of("lead_source", "campaign_id") : b.captureFields();
        for (String f : governed) {
            check(f != null && f.matches("[a-z][a-z0-9_]*"), "benchmark.governed_fields",
                    "'" + f + "' is not a field name", "use snake_case field names as in field_history.field");
        }
        for (String f : capture) {
            check(governed.contains(f), "benchmark.capture_fields", "'" + f + "' is not in benchmark.governed_fields",
                    "list only governed fields");
        }
        Map<Dimension, BenchmarkSettings.Thresholds> thresholds = new EnumMap<>(DEFAULT_THRESHOLDS);
        if (b.thresholds() != null) {
            b.thresholds().forEach((name, t) -> {
                String key = "benchmark.thresholds." + name;
                Dimension d = Arrays.stream(Dimension.values()).filter(x -> x.key().equals(name)).findFirst()
                        .orElseThrow(() -> AuditException.config(key, "unknown dimension", "use one of: "
                                + Arrays.stream(Dimension.values()).map(Dimension::key).collect(Collectors.joining(", "))));
                check(t != null && t.score1() != null && t.score2() != null, key, "needs score_1 and score_2",
                        "e.g. {score_1: 95, score_2: 80}");
                check(t.score1().signum() >= 0 && t.score2().signum() >= 0, key, "thresholds must not be negative", null);
                if (d.unit().equals("%")) {
                    check(t.score1().compareTo(BigDecimal.valueOf(100)) <= 0
                            && t.score2().compareTo(BigDecimal.valueOf(100)) <= 0, key,
                            "percentages must be at most 100", null);
                }
                boolean ordered = d.higherIsBetter() ? t.score1().compareTo(t.score2()) >= 0
                        : t.score1().compareTo(t.score2()) <= 0;
                check(ordered, key, "score_1 must be " + (d.higherIsBetter() ? "at least" : "at most")
                        + " score_2 (" + d.key() + " is better when " + (d.higherIsBetter() ? "higher" : "lower") + ")",
                        "swap or correct the two values");
                thresholds.put(d, new BenchmarkSettings.Thresholds(t.score1(), t.score2()));
            });
        }
        Map<Layer, BenchmarkSettings.Repair> layers = new EnumMap<>(DEFAULT_REPAIRS);
        if (b.layers() != null) {
            b.layers().forEach((name, l) -> {
                String key = "benchmark.layers." + name;
                Layer layer = enumValue(key, name, Layer.class);
                BenchmarkSettings.Repair fallback = DEFAULT_REPAIRS.get(layer);
                String owner = l == null || l.repairOwner() == null ? fallback.owner() : l.repairOwner();
                String move = l == null || l.nextMove() == null ? fallback.nextMove() : l.nextMove();
                check(!owner.isBlank(), key + ".repair_owner", "is empty", "name the team that owns the repair");
                check(!move.isBlank(), key + ".next_move", "is empty", "describe the next repair in one sentence");
                layers.put(layer, new BenchmarkSettings.Repair(owner.strip(), move.strip()));
            });
        }
        String definition = b.definitionNextMove() == null
                ? "Choose the canonical executive definition and document what it excludes" : b.definitionNextMove();
        check(!definition.isBlank(), "benchmark.definition_next_move", "is empty", "describe the decision to take");
        return new BenchmarkSettings(thresholds, materiality, evidence, governed, capture, layers, definition.strip());
    }

    static List<Workflow> workflows(List<ConfigFile.WorkflowFile> raw) {
        if (raw == null) {
            return List.of();
        }
        List<Workflow> out = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        for (int i = 0; i < raw.size(); i++) {
            ConfigFile.WorkflowFile w = raw.get(i);
            String key = "workflows[" + i + "]";
            check(w != null && w.name() != null && !w.name().isBlank(), key + ".name", "is missing",
                    "give every workflow a name, e.g. paid_demo_requests");
            String name = w.name().strip();
            check(name.length() <= 200, key + ".name", "is longer than 200 characters", "shorten it");
            check(names.add(name), key + ".name", "'" + name + "' is used twice", "give each workflow its own name");
            out.add(new Workflow(name, w.description(), population(key + ".include", w.include()),
                    population(key + ".exclude", w.exclude())));
        }
        return out;
    }

    private static Workflow.Population population(String key, ConfigFile.Population raw) {
        if (raw == null) {
            return Workflow.Population.NONE;
        }
        return new Workflow.Population(values(key, Workflow.Key.CHANNELS, raw.channels()),
                values(key, Workflow.Key.LEAD_SOURCES, raw.leadSources()),
                values(key, Workflow.Key.TOUCH_TYPES, raw.touchTypes()),
                values(key, Workflow.Key.SEGMENTS, raw.segments()),
                values(key, Workflow.Key.OWNERS, raw.owners()),
                values(key, Workflow.Key.OPPORTUNITY_TYPES, raw.opportunityTypes()));
    }

    private static List<String> values(String section, Workflow.Key filter, List<String> raw) {
        String key = section + "." + filter.key();
        if (raw == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String v : raw) {
            check(v != null && !v.isBlank(), key, "contains an empty value", "remove it");
            String normalized = LabelMapping.normalize(v);
            check(!out.contains(normalized), key, "lists '" + v + "' twice", "list each value once");
            out.add(normalized);
        }
        return out;
    }
}
