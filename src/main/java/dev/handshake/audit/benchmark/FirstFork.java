package dev.handshake.audit.benchmark;

import static java.util.Objects.requireNonNull;

import dev.handshake.config.BenchmarkSettings;
import dev.handshake.model.Dimension;
import dev.handshake.model.Layer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The first fork (section 5): the earliest layer with a material finding, the largest symptom
 * downstream of it, who owns the repair, and whether the dispute is about definitions or about a
 * broken path. Pure: decided from a workflow's findings and dimension scores.
 */
public final class FirstFork {
    public static final String NONE = "NONE";
    public static final String DEFINITION_AUTHORITY = "DEFINITION_AUTHORITY";
    public static final String HANDSHAKE_PATH = "HANDSHAKE_PATH";
    public static final String BOTH = "BOTH";
    /**
     * No material finding in the layers that were measured, but at least one layer was not
     * measured: "no problem" would be a claim the evidence does not support.
     */
    public static final String INSUFFICIENT_EVIDENCE = "INSUFFICIENT_EVIDENCE";

    private FirstFork() {}

    /**
     * Money a workflow's findings affect, in reporting currency. Null means not assessable.
     *
     * @param basis          what the workflow is a population of
     * @param records        its population: cohort leads, or on the opportunity basis opportunities in scope
     * @param captureValue   won deals with campaign linkage lost or an unlogged source/campaign override
     * @param crmValue       won deals re-staged, reopened, with unmapped stages or unlogged CRM overrides
     * @param qualificationImpact expected revenue lost to failures at the handoffs before WON
     * @param financePathValue  won value booked differently (amount, duplicate, reversed, missing, currency)
     * @param financeDefinitionValue won value booked at the same amount in another period
     * @param warehouseDrift company-wide |modeled - recomputed| bookings; {@code warehouseBase} its recomputed total
     */
    public record Findings(String workflow, WorkflowBasis basis, long records, BigDecimal wonValue, long wonDeals,
                           BigDecimal captureValue, long captureRecords, BigDecimal crmValue, long crmRecords,
                           long unloggedCaptureChanges, long unloggedCrmChanges, BigDecimal qualificationImpact,
                           BigDecimal financePathValue, long financePathRecords,
                           BigDecimal financeDefinitionValue, long financeDefinitionRecords,
                           BigDecimal warehouseDrift, BigDecimal warehouseBase,
                           BigDecimal marketingNumber, BigDecimal salesNumber, BigDecimal financeNumber) {
        public Findings {
            requireNonNull(workflow, "workflow is null");
            requireNonNull(basis, "basis is null");
        }

        /** The workflow's cohort leads: its records on the lead basis, none on the opportunity basis. */
        public long leads() {
            return basis == WorkflowBasis.LEADS ? records : 0;
        }
    }

    /** One layer's finding: the money it affects, why it is material (null = not material). */
    public record LayerFinding(Layer layer, BigDecimal value, String materialBecause, String symptom) {}

    public record Fork(String firstForkLayer, List<String> materialLayers, String problemKind,
                       String downstreamSymptom, String repairOwner, String nextMove, BigDecimal numberInDispute,
                       Map<Layer, LayerFinding> findings) {}

    public static Fork decide(Findings f, Map<Dimension, Scorecard.DimensionScore> scores, BenchmarkSettings s,
                              String currency) {
        BigDecimal bar = f.wonValue() == null || f.wonValue().signum() == 0 ? null
                : f.wonValue().multiply(s.materialityPct()).divide(BigDecimal.valueOf(100));
        Map<Layer, LayerFinding> findings = new EnumMap<>(Layer.class);
        boolean overrideBreaks = scored3(scores, Dimension.OVERRIDE_DISCIPLINE);

        findings.put(Layer.CAPTURE, finding(Layer.CAPTURE, f.captureValue(), bar,
                reasons(scored3(scores, Dimension.CAPTURE_LINKAGE) ? "capture_linkage scored 3" : null,
                        overrideBreaks && f.unloggedCaptureChanges() > 0
                                ? "override_discipline scored 3 with unlogged source/campaign overrides" : null),
                money(f.captureValue(), currency) + " of won value (" + f.captureRecords()
                        + " deals) lost its campaign linkage or had source/campaign overridden without a reason"));
        findings.put(Layer.CRM_STAGE_OWNERSHIP, finding(Layer.CRM_STAGE_OWNERSHIP, f.crmValue(), bar,
                reasons(scored3(scores, Dimension.STAGE_CONSISTENCY) ? "stage_consistency scored 3" : null,
                        scored3(scores, Dimension.OWNER_CLARITY) ? "owner_clarity scored 3" : null,
                        overrideBreaks && f.unloggedCrmChanges() > 0
                                ? "override_discipline scored 3 with unlogged stage/owner/amount overrides" : null),
                money(f.crmValue(), currency) + " of won value (" + f.crmRecords()
                        + " deals) re-staged, reopened or overridden without a reason after the handoff"));
        findings.put(Layer.QUALIFICATION_HANDOFF, finding(Layer.QUALIFICATION_HANDOFF, f.qualificationImpact(), bar,
                reasons(), money(f.qualificationImpact(), currency)
                        + " of expected revenue lost to information, timing and qualification failures before the win"));
        BigDecimal warehouseBar = f.warehouseBase() == null || f.warehouseBase().signum() == 0 ? null
                : f.warehouseBase().multiply(s.materialityPct()).divide(BigDecimal.valueOf(100));
        findings.put(Layer.WAREHOUSE_LOGIC, finding(Layer.WAREHOUSE_LOGIC, f.warehouseDrift(), warehouseBar,
                reasons(), money(f.warehouseDrift(), currency)
                        + " of published bookings differ from the recomputation from raw tables (company-wide)"));
        String lag = scored3(scores, Dimension.FINANCE_LAG) ? "finance_lag scored 3" : null;
        String repeat = scored3(scores, Dimension.RECONCILIATION_REPEATABILITY)
                ? "reconciliation_repeatability scored 3" : null;
        LayerFinding path = finding(Layer.FINANCE_NORMALIZATION, f.financePathValue(), bar, reasons(lag, repeat),
                money(f.financePathValue(), currency) + " of won value (" + f.financePathRecords()
                        + " deals) not booked, or booked at another amount, twice, reversed or in an unresolved currency");
        LayerFinding definition = finding(Layer.FINANCE_NORMALIZATION, f.financeDefinitionValue(), bar, reasons(),
                money(f.financeDefinitionValue(), currency) + " of won value (" + f.financeDefinitionRecords()
                        + " deals) booked at the same amount in another period");
        findings.put(Layer.FINANCE_NORMALIZATION, merge(path, definition));

        List<String> material = new ArrayList<>();
        for (Layer l : Layer.values()) {
            if (findings.get(l).materialBecause() != null) {
                material.add(l.name());
            }
        }
        boolean pathBroken = material.contains(Layer.CAPTURE.name()) || material.contains(Layer.CRM_STAGE_OWNERSHIP.name())
                || material.contains(Layer.QUALIFICATION_HANDOFF.name()) || path.materialBecause() != null;
        boolean definitional = material.contains(Layer.WAREHOUSE_LOGIC.name()) || definition.materialBecause() != null;
        String kind = pathBroken && definitional ? BOTH : pathBroken ? HANDSHAKE_PATH
                : definitional ? DEFINITION_AUTHORITY : NONE;
        BigDecimal dispute = f.marketingNumber() == null ? null
                : f.marketingNumber().subtract(f.financeNumber() == null ? BigDecimal.ZERO : f.financeNumber());
        Map<Layer, String> unmeasured = unmeasured(f, scores);
        if (f.records() == 0 && f.wonDeals() == 0 && material.isEmpty()) {
            return new Fork(INSUFFICIENT_EVIDENCE, material, INSUFFICIENT_EVIDENCE,
                    "not measured: the workflow has no record in this night's inputs", null,
                    "Not enough evidence to name a first fork or to call the path clean: no record matched the"
                            + " workflow (check its filters against the data)", dispute, findings);
        }
        if (material.isEmpty() && !unmeasured.isEmpty()) {
            return new Fork(INSUFFICIENT_EVIDENCE, material, INSUFFICIENT_EVIDENCE,
                    "no material finding in the measured layers; not measured: " + describe(unmeasured), null,
                    "Not enough evidence to name a first fork or to call the path clean: provide what the layers"
                            + " not measured need (" + describe(unmeasured) + ")", dispute, findings);
        }
        if (material.isEmpty()) {
            return new Fork(NONE, material, kind, "no material finding in any layer", null,
                    "No repair needed: keep the nightly audit running and watch the trend", dispute, findings);
        }
        Layer fork = Layer.valueOf(material.get(0));
        LayerFinding loudest = null;
        for (Layer l : Layer.values()) {
            LayerFinding x = findings.get(l);
            if (l.ordinal() > fork.ordinal() && x.value() != null && x.value().signum() > 0
                    && (loudest == null || x.value().compareTo(loudest.value()) > 0)) {
                loudest = x;
            }
        }
        LayerFinding symptom = loudest == null ? findings.get(fork) : loudest;
        // A layer before the fork that was not measured could be the real first fork: said beside it.
        Map<Layer, String> earlier = new EnumMap<>(Layer.class);
        unmeasured.forEach((l, why) -> {
            if (l.ordinal() < fork.ordinal()) {
                earlier.put(l, why);
            }
        });
        String caveat = earlier.isEmpty() ? "" : " (first among the measured layers; not measured before it: "
                + describe(earlier) + ")";
        BenchmarkSettings.Repair repair = s.repair(fork);
        String next = kind.equals(DEFINITION_AUTHORITY) ? s.definitionNextMove() : repair.nextMove();
        return new Fork(fork.name(), material, kind, symptom.layer().name() + ": " + symptom.symptom() + caveat,
                repair.owner(), next, dispute, findings);
    }

    /** The same fork without a number in dispute: finance-booked is not measured, so no difference to it is. */
    public static Fork withoutDispute(Fork f) {
        return new Fork(f.firstForkLayer(), f.materialLayers(), f.problemKind(), f.downstreamSymptom(), f.repairOwner(),
                f.nextMove(), null, f.findings());
    }

    /**
     * The layers with no evidence at all, each with why: a layer is measured when one of its
     * dimensions is scored, or (qualification handoff, warehouse logic) its money figure could be
     * computed. An unmeasured layer is never material, so naming "no problem" needs all five.
     */
    public static Map<Layer, String> unmeasured(Findings f, Map<Dimension, Scorecard.DimensionScore> scores) {
        Map<Layer, String> out = new EnumMap<>(Layer.class);
        for (Layer l : List.of(Layer.CAPTURE, Layer.CRM_STAGE_OWNERSHIP, Layer.FINANCE_NORMALIZATION)) {
            List<String> notes = new ArrayList<>();
            boolean scored = false;
            for (Dimension d : Dimension.values()) {
                Scorecard.DimensionScore x = scores.get(d);
                if (d.layer() != l) {
                    continue;
                }
                if (x != null && x.score() != null) {
                    scored = true;
                } else {
                    notes.add(d.key() + (x == null || x.note() == null ? " not scored" : " " + x.note()));
                }
            }
            if (!scored) {
                out.put(l, String.join("; ", notes));
            }
        }
        if (f.qualificationImpact() == null) {
            out.put(Layer.QUALIFICATION_HANDOFF, "no handoff before the win with both clean and failed records"
                    + " and a won deal to value them");
        }
        if (f.warehouseDrift() == null) {
            out.put(Layer.WAREHOUSE_LOGIC, "no modeled metric to compare with the recomputation");
        }
        return out;
    }

    private static String describe(Map<Layer, String> unmeasured) {
        List<String> parts = new ArrayList<>();
        unmeasured.forEach((l, why) -> parts.add(l.name() + " (" + why + ")"));
        return String.join("; ", parts);
    }

    private static boolean scored3(Map<Dimension, Scorecard.DimensionScore> scores, Dimension d) {
        Scorecard.DimensionScore x = scores.get(d);
        return x != null && x.score() != null && x.score() == 3;
    }

    private static String reasons(String... parts) {
        List<String> present = new ArrayList<>();
        for (String p : parts) {
            if (p != null) {
                present.add(p);
            }
        }
        return present.isEmpty() ? null : String.join("; ", present);
    }

    private static LayerFinding finding(Layer layer, BigDecimal value, BigDecimal bar, String scoreReasons,
                                        String symptom) {
        String byValue = value != null && bar != null && value.compareTo(bar) > 0
                ? "affected value above the materiality threshold " + bar.setScale(2, RoundingMode.HALF_UP).toPlainString()
                : null;
        return new LayerFinding(layer, value, reasons(scoreReasons, byValue), symptom);
    }

    /** The finance layer's two findings as one: values add up, either makes it material. */
    private static LayerFinding merge(LayerFinding path, LayerFinding definition) {
        BigDecimal value = path.value() == null ? definition.value()
                : definition.value() == null ? path.value() : path.value().add(definition.value());
        LayerFinding louder = definition.value() != null && (path.value() == null
                || definition.value().compareTo(path.value()) > 0) ? definition : path;
        return new LayerFinding(Layer.FINANCE_NORMALIZATION, value,
                reasons(path.materialBecause(), definition.materialBecause()), louder.symptom());
    }

    /** An amount as the review sheet and symptoms show it: cents, thousands separated, currency. */
    public static String money(BigDecimal amount, String currency) {
        if (amount == null) {
            return "(not assessable)";
        }
        DecimalFormat format = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.ROOT));
        return format.format(amount.setScale(2, RoundingMode.HALF_UP)) + " " + currency;
    }
}
