package dev.handshake.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import static dev.handshake.config.ConfigChecks.check;

import dev.handshake.AuditException;
import dev.handshake.model.Stage;
import dev.handshake.config.AuditConfig.SourceType;
import dev.handshake.config.AuditConfig.SparkSettings;
import dev.handshake.model.CanonicalTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Parses the YAML configuration once and validates it into {@link AuditConfig}. Every error
 * names the offending key and how to fix it; nothing is silently defaulted that was mis-typed.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // 2.5 for a whole-number key is a mistake to report, not a value to truncate.
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private ConfigLoader() {}

    public static AuditConfig load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new AuditException(AuditException.Code.USAGE_OR_CONFIG,
                    "configuration file not found: " + file + ". Fix: pass --config with the path of "
                            + "a YAML file such as conf/local.yaml");
        } catch (IOException e) {
            throw new AuditException(AuditException.Code.USAGE_OR_CONFIG,
                    "cannot read configuration file " + file + ": " + e.getMessage());
        }
        ConfigFile raw;
        try {
            raw = YAML.readValue(bytes, ConfigFile.class);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw AuditException.config(path(e), "unknown key",
                    "remove it or use one of: " + known);
        } catch (MismatchedInputException e) {
            throw wrongType(e, bytes);
        } catch (JsonMappingException e) {
            throw AuditException.config(path(e), "has the wrong shape",
                    "see docs/configuration.md for what the key takes");
        } catch (JsonProcessingException e) {
            throw new AuditException(AuditException.Code.USAGE_OR_CONFIG,
                    "configuration file " + file + " is not valid YAML: "
                            + e.getOriginalMessage().lines().findFirst().orElse("")
                            + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
        } catch (IOException e) {
            throw new AuditException(AuditException.Code.USAGE_OR_CONFIG,
                    "cannot read configuration file " + file + ": " + e.getMessage());
        }
        if (raw == null) {
            throw new AuditException(AuditException.Code.USAGE_OR_CONFIG,
                    "configuration file " + file + " is empty");
        }
        return validate(raw, sha256(bytes));
    }

    /** Checks that paths the run reads exist; called after command-line overrides are applied. */
    public static void checkInputRoot(AuditConfig config, boolean overriddenOnCommandLine) {
        if (config.source().type() != SourceType.LOCAL) {
            if (overriddenOnCommandLine) {
                throw AuditException.config("--input", "is a directory, but source.type is jdbc",
                        "drop --input, or use a configuration with source.type: local");
            }
            return;
        }
        Path root = config.source().root();
        if (!Files.isDirectory(root)) {
            String key = overriddenOnCommandLine ? "--input" : "source.root";
            throw AuditException.config(key, "directory " + root + " does not exist",
                    "generate sample data with 'jobs/local.sh generate --out " + root
                            + "' or point " + key + " at the directory holding your tables");
        }
        // Before Spark starts, all at once. Only leads or opportunities is needed (docs/coverage.md):
        // every other table is read as empty when absent and its figures are reported not measured.
        List<CanonicalTable> minimum = List.of(CanonicalTable.LEADS, CanonicalTable.OPPORTUNITIES);
        List<String> absent = minimum.stream().filter(t -> config.source().mapping(t).query() == null)
                .filter(t -> !Files.exists(root.resolve(config.source().mapping(t).path())))
                .map(t -> t.tableName() + " (" + root.resolve(config.source().mapping(t).path()) + ")").toList();
        List<String> missing = new java.util.ArrayList<>(absent.size() == minimum.size() ? absent : List.of());
        // A query-defined table reads raw tables: each of them is needed.
        config.source().raw().values().stream().filter(r -> !Files.exists(root.resolve(r.path())))
                .forEach(r -> missing.add("raw " + r.name() + " (" + root.resolve(r.path()) + ")"));
        if (!missing.isEmpty()) {
            throw new AuditException(AuditException.Code.INPUT_CONTRACT, "required input table"
                    + (missing.size() == 1 ? "" : "s") + " not found: " + String.join(", ", missing)
                    + ". Fix: put each in a folder of that name under " + root
                    + " (Parquet, or CSV with a header), or map its folder with source.tables.<table>.path");
        }
    }

    private static AuditConfig validate(ConfigFile raw, String hash) {
        String currency = raw.reportingCurrency() == null ? "USD" : raw.reportingCurrency();
        check(currency.matches("[A-Z]{3}"), "reporting_currency",
                "'" + currency + "' is not an ISO 4217 code", "use three capital letters, e.g. USD");
        int lookback = raw.lookbackDays() == null ? 365 : raw.lookbackDays();
        check(lookback >= 1 && lookback <= 3660, "lookback_days",
                "must be between 1 and 3660, got " + lookback, null);

        ConfigFile.Spark spark = raw.spark() == null ? new ConfigFile.Spark(null, null, null) : raw.spark();
        int partitions = spark.shufflePartitions() == null ? 8 : spark.shufflePartitions();
        check(partitions >= 1, "spark.shuffle_partitions", "must be at least 1, got " + partitions, null);
        SparkSettings sparkSettings = new SparkSettings(spark.master(), partitions,
                spark.conf() == null ? Map.of() : spark.conf());

        double maxQuarantined = raw.contract() == null || raw.contract().maxQuarantinedPct() == null
                ? 5.0 : raw.contract().maxQuarantinedPct();
        check(maxQuarantined >= 0 && maxQuarantined <= 100, "contract.max_quarantined_pct",
                "must be a percentage between 0 and 100, got " + maxQuarantined, null);

        Path outputRoot = Path.of(raw.output() == null || raw.output().root() == null
                ? "out" : raw.output().root());
        // A night's audit takes minutes; a lock this old belongs to a run that died without removing it.
        long staleMinutes = raw.output() == null || raw.output().lockStaleAfterMinutes() == null
                ? 720 : raw.output().lockStaleAfterMinutes();
        check(staleMinutes >= 1, "output.lock_stale_after_minutes", "must be at least 1, got " + staleMinutes,
                "give the age in minutes after which a run lock may be broken with --break-stale-lock, e.g. 720");
        // A backfill runs one night after another; three months is already hours on a large source.
        int maxNights = raw.output() == null || raw.output().maxBackfillNights() == null
                ? 92 : raw.output().maxBackfillNights();
        check(maxNights >= 1, "output.max_backfill_nights", "must be at least 1, got " + maxNights,
                "give the most nights one audit --from/--to may run without --force-range, e.g. 92");

        ConfigFile.StageMappingFile stages = raw.stageMapping() == null
                ? new ConfigFile.StageMappingFile(null, null, null) : raw.stageMapping();
        List<String> stageValues = new java.util.ArrayList<>(
                Stage.inOrder().stream().map(Stage::name).toList());
        stageValues.add(LabelSections.NONE_STAGE);

        return new AuditConfig(currency, lookback, sparkSettings, SourceSection.source(raw.source(), YAML), outputRoot,
                maxQuarantined,
                LabelSections.labels("stage_mapping.lead_status", stages.leadStatus(), stageValues),
                LabelSections.labels("stage_mapping.opportunity_stage", stages.opportunityStage(), stageValues),
                LabelSections.labels("role_mapping", raw.roleMapping(), LabelSections.ROLES),
                LabelSections.labels("reason_categories", raw.reasonCategories(), LabelSections.REASON_CATEGORIES),
                HandoffSection.handoffs(raw.handoffs()),
                ReconciliationSection.reconciliation(raw.reconciliation()),
                BenchmarkSection.benchmark(raw.benchmark()),
                BenchmarkSection.workflows(raw.workflows()),
                hash, java.time.Duration.ofMinutes(staleMinutes), maxNights,
                WarehouseSection.output(raw.output()), trackedStages(stages.trackedStages()));
    }

    /** stage_mapping.tracked_stages: the stages the CRM records (empty = those with evidence each night). */
    private static List<Stage> trackedStages(List<String> raw) {
        List<Stage> out = new java.util.ArrayList<>();
        for (String name : raw == null ? List.<String>of() : raw) {
            String stage = name == null ? "" : name.strip().toUpperCase(java.util.Locale.ROOT);
            check(Stage.inOrder().stream().anyMatch(s -> s.name().equals(stage)), "stage_mapping.tracked_stages",
                    "'" + name + "' is not a stage", "list stages among " + Stage.inOrder());
            check(!out.contains(Stage.valueOf(stage)), "stage_mapping.tracked_stages", "lists " + stage + " twice",
                    "list each stage once");
            out.add(Stage.valueOf(stage));
        }
        return out;
    }

    /**
     * A value of the wrong type, said in the words of the YAML file: what the key takes and what
     * it was given, never the Java type Jackson was building.
     */
    private static AuditException wrongType(MismatchedInputException e, byte[] bytes) {
        Class<?> target = e.getTargetType();
        String wanted;
        String example;
        if (target == null) {
            wanted = "a different kind of value";
            example = "see docs/configuration.md for what the key takes";
        } else if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
            wanted = "a whole number";
            example = "write digits without quotes, e.g. 30";
        } else if (Number.class.isAssignableFrom(target) || target == double.class) {
            wanted = "a number";
            example = "write it without quotes, e.g. 5.0";
        } else if (target == Boolean.class || target == boolean.class) {
            wanted = "true or false";
            example = "write true or false";
        } else if (target == String.class) {
            wanted = "a single value";
            example = "write one value on the key's line, e.g. key: value";
        } else if (java.util.Collection.class.isAssignableFrom(target)) {
            wanted = "a list";
            example = "write it as [a, b] or as lines starting with '- '";
        } else {
            wanted = "a section of keys";
            example = "write its keys indented on the lines below it (see docs/configuration.md)";
        }
        return AuditException.config(path(e), "must be " + wanted + ", got " + given(e, bytes), example);
    }

    /** What the file holds at the failing key, read back from its YAML tree. */
    private static String given(MismatchedInputException e, byte[] bytes) {
        com.fasterxml.jackson.databind.JsonNode node;
        try {
            node = YAML.readTree(bytes);
        } catch (IOException unreadable) {
            return "something else";
        }
        for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : e.getPath()) {
            node = r.getFieldName() != null ? node.path(r.getFieldName()) : node.path(r.getIndex());
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "a section of keys";
        }
        if (node.isNull() || node.isMissingNode()) {
            return "nothing";
        }
        return "\"" + node.asText() + "\"";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
