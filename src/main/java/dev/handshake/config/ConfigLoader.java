package dev.handshake.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.handshake.AuditException;
import dev.handshake.audit.Stage;
import dev.handshake.config.AuditConfig.FileFormat;
import dev.handshake.config.AuditConfig.SourceSettings;
import dev.handshake.config.AuditConfig.SourceType;
import dev.handshake.config.AuditConfig.SparkSettings;
import dev.handshake.config.AuditConfig.TableMapping;
import dev.handshake.source.CanonicalTable;
import dev.handshake.source.ColumnSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Parses the YAML configuration once and validates it into {@link AuditConfig}. Every error
 * names the offending key and how to fix it; nothing is silently defaulted that was mis-typed.
 */
public final class ConfigLoader {
    static final String NONE_STAGE = "NONE";
    static final List<String> ROLES =
            List.of("SDR", "AE", "MANAGER", "REVOPS", "FINANCE", "MARKETING", "SYSTEM");
    static final List<String> REASON_CATEGORIES =
            List.of("qualification", "timing", "information", "commercial", "other");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
        } catch (JsonMappingException e) {
            throw AuditException.config(path(e), "wrong type or shape ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")",
                    "see the configuration reference in README.md");
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
        Path root = config.source().root();
        if (!Files.isDirectory(root)) {
            String key = overriddenOnCommandLine ? "--input" : "source.root";
            throw AuditException.config(key, "directory " + root + " does not exist",
                    "generate sample data with 'jobs/local.sh generate --out " + root
                            + "' or point " + key + " at the directory holding your tables");
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

        ConfigFile.StageMappingFile stages = raw.stageMapping() == null
                ? new ConfigFile.StageMappingFile(null, null) : raw.stageMapping();
        List<String> stageValues = new java.util.ArrayList<>(
                Stage.inOrder().stream().map(Stage::name).toList());
        stageValues.add(NONE_STAGE);

        return new AuditConfig(currency, lookback, sparkSettings, source(raw.source()), outputRoot,
                maxQuarantined,
                labels("stage_mapping.lead_status", stages.leadStatus(), stageValues),
                labels("stage_mapping.opportunity_stage", stages.opportunityStage(), stageValues),
                labels("role_mapping", raw.roleMapping(), ROLES),
                labels("reason_categories", raw.reasonCategories(), REASON_CATEGORIES),
                hash);
    }

    private static SourceSettings source(ConfigFile.Source raw) {
        check(raw != null, "source", "is missing",
                "add a 'source:' section with type, root and format (see conf/local.yaml)");
        String type = raw.type() == null ? "local" : raw.type();
        SourceType sourceType = enumValue("source.type", type, SourceType.class);
        check(raw.root() != null && !raw.root().isBlank(), "source.root", "is missing",
                "set it to the directory holding one folder per input table");
        FileFormat format = enumValue("source.format", raw.format() == null ? "parquet" : raw.format(),
                FileFormat.class);
        Map<CanonicalTable, TableMapping> tables = new EnumMap<>(CanonicalTable.class);
        if (raw.tables() != null) {
            raw.tables().forEach((name, t) -> {
                String key = "source.tables." + name;
                CanonicalTable table = CanonicalTable.byName(name).orElseThrow(() ->
                        AuditException.config(key, "unknown table", "use one of: " + Arrays.stream(
                                CanonicalTable.values()).map(CanonicalTable::tableName)
                                .collect(Collectors.joining(", "))));
                Map<String, String> columns = t == null || t.columns() == null ? Map.of() : t.columns();
                columns.forEach((canonical, sourceColumn) -> {
                    ColumnSpec spec = table.column(canonical).orElse(null);
                    check(spec != null, key + ".columns." + canonical, "not a column of " + name,
                            "use one of: " + table.columns().stream().map(ColumnSpec::name)
                                    .collect(Collectors.joining(", ")));
                    check(sourceColumn != null && !sourceColumn.isBlank(), key + ".columns." + canonical,
                            "source column name is empty", "name the column of your file that holds it");
                });
                String path = t == null || t.path() == null ? name : t.path();
                tables.put(table, new TableMapping(path, columns));
            });
        }
        return new SourceSettings(sourceType, Path.of(raw.root()), format, tables);
    }

    private static LabelMapping labels(String key, Map<String, List<String>> raw, List<String> allowed) {
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

    private static <E extends Enum<E>> E enumValue(String key, String value, Class<E> type) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            Set<String> allowed = new TreeSet<>();
            for (E c : type.getEnumConstants()) {
                allowed.add(c.name().toLowerCase(Locale.ROOT));
            }
            throw AuditException.config(key, "'" + value + "' is not supported",
                    "use one of: " + String.join(", ", allowed));
        }
    }

    private static void check(boolean ok, String key, String problem, String fix) {
        if (!ok) {
            throw AuditException.config(key, problem, fix);
        }
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
