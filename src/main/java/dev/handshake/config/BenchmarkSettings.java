package dev.handshake.config;

import static java.util.Objects.requireNonNull;

import dev.handshake.model.Layer;
import dev.handshake.model.Dimension;
import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Scoring and routing of the handshake benchmark (sections 4 and 5).
 *
 * @param thresholds       per dimension: score 1 at or better than {@code score1}, 2 at or better
 *                         than {@code score2}, else 3 ("better" = higher or lower per dimension)
 * @param materialityPct   a layer's affected value above this share of the workflow's won value is material
 * @param evidenceIds      example record ids kept per dimension
 * @param governedFields   field_history fields whose manual changes need a logged reason
 * @param captureFields    the governed fields whose overrides belong to the CAPTURE layer
 * @param layers           repair owner and next move per layer
 * @param definitionNextMove the next move when the dispute is one of definition authority
 */
public record BenchmarkSettings(Map<Dimension, Thresholds> thresholds, BigDecimal materialityPct, int evidenceIds,
                                List<String> governedFields, List<String> captureFields,
                                Map<Layer, Repair> layers, String definitionNextMove) {
    public BenchmarkSettings {
        thresholds = java.util.Collections.unmodifiableMap(new EnumMap<>(thresholds));
        requireNonNull(materialityPct, "materialityPct is null");
        governedFields = List.copyOf(governedFields);
        captureFields = List.copyOf(captureFields);
        layers = java.util.Collections.unmodifiableMap(new EnumMap<>(layers));
        requireNonNull(definitionNextMove, "definitionNextMove is null");
    }

    public record Thresholds(BigDecimal score1, BigDecimal score2) {
        public Thresholds {
            requireNonNull(score1, "score1 is null");
            requireNonNull(score2, "score2 is null");
        }
    }

    public record Repair(String owner, String nextMove) {
        public Repair {
            requireNonNull(owner, "owner is null");
            requireNonNull(nextMove, "nextMove is null");
        }
    }

    public Thresholds thresholds(Dimension d) {
        return thresholds.get(d);
    }

    public Repair repair(Layer layer) {
        return layers.get(layer);
    }
}
