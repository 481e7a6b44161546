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
import static dev.handshake.config.ConfigChecks.enumValue;

import dev.handshake.AuditException;
import dev.handshake.model.Stage;
import dev.handshake.config.AuditConfig.FileFormat;
import dev.handshake.config.AuditConfig.SourceSettings;
import dev.handshake.config.AuditConfig.SourceType;
import dev.handshake.config.AuditConfig.SparkSettings;
import dev.handshake.config.AuditConfig.TableMapping;
import dev.handshake.model.CanonicalTable;
import dev.handshake.model.ColumnSpec;
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
        stageValues.add(NONE_STAGE);

        return new AuditConfig(currency, lookback, sparkSettings, source(raw.source()), outputRoot,
                maxQuarantined,
                labels("stage_mapping.lead_status", stages.leadStatus(), stageValues),
                labels("stage_mapping.opportunity_stage", stages.opportunityStage(), stageValues),
                labels("role_mapping", raw.roleMapping(), ROLES),
                labels("reason_categories", raw.reasonCategories(), REASON_CATEGORIES),
                handoffs(raw.handoffs()),
                reconciliation(raw.reconciliation()),
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

    /** Source profiles shipped with the job: name -> resource holding its table mapping. */
    static final List<String> PROFILES = List.of("generic", "fivetran_salesforce");

    /** The profile's tables with the file's own entries laid over them, table by table, column by column. */
    private static Map<String, ConfigFile.Table> withProfile(String profile, Map<String, ConfigFile.Table> own,
                                                             Map<String, String> keys) {
        Map<String, ConfigFile.Table> merged = new LinkedHashMap<>();
        if (profile != null) {
            check(PROFILES.contains(profile), "source.profile", "'" + profile + "' is not a profile",
                    "use one of: " + String.join(", ", PROFILES));
            ConfigFile.Profile p;
            try (var in = ConfigLoader.class.getResourceAsStream("/dev/handshake/profiles/" + profile + ".yaml")) {
                p = YAML.readValue(in, ConfigFile.Profile.class);
            } catch (IOException e) {
                throw new IllegalStateException("shipped profile " + profile + " cannot be read", e);
            }
            p.tables().forEach((name, t) -> {
                merged.put(name, t);
                keys.put(name, "source.profile(" + profile + ").tables." + name);
            });
        }
        if (own != null) {
            own.forEach((name, t) -> {
                ConfigFile.Table base = merged.get(name);
                if (base != null && t != null) {
                    Map<String, ConfigFile.ColumnFile> columns = new LinkedHashMap<>();
                    if (base.columns() != null) {
                        columns.putAll(base.columns());
                    }
                    if (t.columns() != null) {
                        columns.putAll(t.columns());
                    }
                    t = new ConfigFile.Table(t.path() != null ? t.path() : base.path(), columns,
                            t.partitionColumn() != null ? t.partitionColumn() : base.partitionColumn(),
                            t.partitions() != null ? t.partitions() : base.partitions(),
                            t.options() != null ? t.options() : base.options(), t.query() != null ? t.query() : base.query());
                }
                merged.put(name, t);
                keys.put(name, "source.tables." + name);
            });
        }
        return merged;
    }

    private static SourceSettings source(ConfigFile.Source raw) {
        check(raw != null, "source", "is missing",
                "add a 'source:' section with type, root and format (see conf/local.yaml)");
        String type = raw.type() == null ? "local" : raw.type();
        SourceType sourceType = enumValue("source.type", type, SourceType.class);
        boolean jdbc = sourceType == SourceType.JDBC;
        WarehouseSettings warehouse = null;
        if (jdbc) {
            check(raw.jdbc() != null, "source.jdbc", "is missing",
                    "add the connection: account (or url), user, role, warehouse, database, schema, auth");
            warehouse = WarehouseSection.connection("source.jdbc", raw.jdbc());
        } else {
            check(raw.root() != null && !raw.root().isBlank(), "source.root", "is missing",
                    "set it to the directory holding one folder per input table");
            check(raw.jdbc() == null, "source.jdbc", "is set but source.type is local",
                    "set source.type: jdbc, or remove source.jdbc");
        }
        FileFormat format = enumValue("source.format", raw.format() == null ? "parquet" : raw.format(),
                FileFormat.class);
        FormatOptions sourceFormat = SourceTables.format("source.options", raw.options(), FormatOptions.DEFAULT);
        Map<CanonicalTable, TableMapping> tables = new EnumMap<>(CanonicalTable.class);
        Map<String, String> keys = new LinkedHashMap<>();
        Map<String, ConfigFile.Table> configured = withProfile(raw.profile(), raw.tables(), keys);
        if (!configured.isEmpty()) {
            configured.forEach((name, t) -> {
                String key = keys.get(name);
                CanonicalTable table = CanonicalTable.byName(name).orElseThrow(() ->
                        AuditException.config(key, "unknown table", "use one of: " + Arrays.stream(
                                CanonicalTable.values()).map(CanonicalTable::tableName)
                                .collect(Collectors.joining(", "))));
                SourceTables.Columns columns = SourceTables.columns(key, table, t == null ? null : t.columns(), jdbc);
                FormatOptions tableFormat = SourceTables.format(key + ".options", t == null ? null : t.options(),
                        sourceFormat);
                String query = t == null || t.query() == null ? null : SourceTables.query(key + ".query", t.query(), jdbc);
                check(query == null || t.path() == null, key + ".path", "is set together with " + key + ".query",
                        "keep one: the query defines the table");
                String path = t == null || t.path() == null ? name : t.path();
                String partitionColumn = t == null ? null : t.partitionColumn();
                int partitions = t == null || t.partitions() == null ? 1 : t.partitions();
                if (jdbc) {
                    if (query == null) {
                        SqlIdentifier.of(key + ".path", path);
                    }
                    if (partitionColumn != null) {
                        SqlIdentifier.of(key + ".partition_column", partitionColumn);
                    }
                    check(query == null || partitionColumn == null, key + ".partition_column",
                            "cannot split a query-defined table", "remove partition_column and partitions");
                } else {
                    check(partitionColumn == null && (t == null || t.partitions() == null), key + ".partition_column",
                            "only applies to a jdbc source", "remove partition_column and partitions");
                }
                check(partitions >= 1 && partitions <= 1024, key + ".partitions",
                        "must be between 1 and 1024, got " + partitions, null);
                check(partitions == 1 || partitionColumn != null, key + ".partition_column", "is missing",
                        "a table read in " + partitions + " partitions needs a numeric, date or timestamp column to split on");
                tables.put(table, new TableMapping(path, columns.renamed(), partitionColumn, partitions,
                        columns.derived(), columns.unmapped(), query, tableFormat));
            });
        }
        return new SourceSettings(sourceType, raw.root() == null ? null : Path.of(raw.root()), format, tables,
                warehouse, SourceTables.raw(raw.raw(), sourceFormat, jdbc), sourceFormat);
    }

    private static ReconciliationSettings reconciliation(ConfigFile.Reconciliation raw) {
        ConfigFile.Reconciliation r = raw == null
                ? new ConfigFile.Reconciliation(null, null, null, null, null, null, null, null, null) : raw;
        java.math.BigDecimal tol = r.amountTolerance() == null ? new java.math.BigDecimal("0.01") : r.amountTolerance();
        check(tol.signum() >= 0, "reconciliation.amount_tolerance", "must not be negative, got " + tol, null);
        java.math.BigDecimal pct = r.amountTolerancePct() == null ? java.math.BigDecimal.ZERO : r.amountTolerancePct();
        check(pct.signum() >= 0 && pct.compareTo(java.math.BigDecimal.valueOf(100)) <= 0,
                "reconciliation.amount_tolerance_pct", "must be between 0 and 100, got " + pct, null);
        int lag = r.bookingLagDays() == null ? 5 : r.bookingLagDays();
        check(lag >= 0 && lag <= 366, "reconciliation.booking_lag_days", "must be between 0 and 366, got " + lag, null);
        int fallback = r.fallbackWindowDays() == null ? 30 : r.fallbackWindowDays();
        check(fallback >= 0 && fallback <= 366, "reconciliation.fallback_window_days",
                "must be between 0 and 366, got " + fallback, null);
        int fiscal = r.fiscalYearStartMonth() == null ? 1 : r.fiscalYearStartMonth();
        check(fiscal >= 1 && fiscal <= 12, "reconciliation.fiscal_year_start_month",
                "must be a month number 1-12, got " + fiscal, null);
        Map<String, List<String>> statuses = r.bookingStatus() == null
                ? Map.of("booked", List.of("booked"), "adjusted", List.of("adjusted"),
                        "reversed", List.of("reversed"), "excluded", List.of("cancelled", "draft"))
                : r.bookingStatus();
        int history = r.lagHistoryNights() == null ? 90 : r.lagHistoryNights();
        check(history >= 1 && history <= 3660, "reconciliation.lag_history_nights",
                "must be between 1 and 3660, got " + history, "give the nights of matched deals the expected lag is learned from");
        int minDeals = r.lagMinDeals() == null ? 20 : r.lagMinDeals();
        check(minDeals >= 1 && minDeals <= 1_000_000, "reconciliation.lag_min_deals",
                "must be between 1 and 1000000, got " + minDeals,
                "give how many matched deals a segment needs before its own lag replaces booking_lag_days");
        if (r.periodCloseDays() != null) {
            check(r.periodCloseDays() >= 0 && r.periodCloseDays() <= 366, "reconciliation.period_close_days",
                    "must be between 0 and 366, got " + r.periodCloseDays(),
                    "give how many days after a month's last day the month is closed, or leave the key out");
        }
        return new ReconciliationSettings(tol, pct, lag, fallback,
                labels("reconciliation.booking_status", statuses, ReconciliationSettings.BOOKING_STATUSES), fiscal,
                history, minDeals, r.periodCloseDays() == null ? java.util.OptionalInt.empty()
                        : java.util.OptionalInt.of(r.periodCloseDays()));
    }

    private static final List<Stage> OPPORTUNITY_STAGES = List.of(Stage.OPPORTUNITY, Stage.WON, Stage.BOOKED);

    private static List<HandoffContract> handoffs(List<ConfigFile.Handoff> raw) {
        if (raw == null) {
            return List.of();
        }
        List<HandoffContract> out = new java.util.ArrayList<>();
        Set<String> names = new TreeSet<>();
        for (int i = 0; i < raw.size(); i++) {
            ConfigFile.Handoff h = raw.get(i);
            String key = "handoffs[" + i + "]";
            check(h != null, key, "is empty", "give the handoff its keys (see conf/local.yaml)");
            check(h.name() != null && h.name().matches("[a-z][a-z0-9_]{0,62}"), key + ".name",
                    "'" + h.name() + "' is not a valid handoff name", "use lower_snake_case, e.g. marketing_to_sales");
            check(names.add(h.name()), key + ".name", "'" + h.name() + "' is used twice", "give each handoff its own name");
            key = "handoffs[" + i + "] (" + h.name() + ")";
            for (String[] text : new String[][] {{"sender", h.sender()}, {"receiver", h.receiver()},
                    {"exception_owner", h.exceptionOwner()}}) {
                check(text[1] != null && !text[1].isBlank(), key + "." + text[0], "is missing",
                        "name the team (free text)");
            }
            HandoffContract.RecordKind record = enumValue(key + ".record",
                    h.record() == null ? "lead" : h.record(), HandoffContract.RecordKind.class);
            boolean onOpportunity = record == HandoffContract.RecordKind.OPPORTUNITY;
            Stage entry = stage(key + ".entry_stage", h.entryStage(), null, onOpportunity);
            Stage action = stage(key + ".action_stage", h.actionStage(), entry, onOpportunity);
            Stage completion = stage(key + ".completion_stage", h.completionStage(), entry, onOpportunity);
            Stage outcome = stage(key + ".outcome_stage", h.outcomeStage() == null ? "WON" : h.outcomeStage(),
                    entry, onOpportunity);
            HandoffContract.RecordKind ownerOn = enumValue(key + ".owner_on",
                    h.ownerOn() == null ? record.name() : h.ownerOn(), HandoffContract.RecordKind.class);
            HandoffContract.RecordKind fieldsOn = enumValue(key + ".fields_on",
                    h.fieldsOn() == null ? record.name() : h.fieldsOn(), HandoffContract.RecordKind.class);
            check(!onOpportunity || (ownerOn == record && fieldsOn == record), key + ".fields_on",
                    "an opportunity handoff reads fields and owner from the opportunity",
                    "set fields_on and owner_on to opportunity (or leave them out)");
            CanonicalTable fieldsTable = fieldsOn == HandoffContract.RecordKind.LEAD
                    ? CanonicalTable.LEADS : CanonicalTable.OPPORTUNITIES;
            List<String> fields = h.requiredFields() == null ? List.of() : h.requiredFields();
            for (String f : fields) {
                check(fieldsTable.column(f).isPresent(), key + ".required_fields",
                        "'" + f + "' is not a column of " + fieldsTable.tableName(), "use one of: "
                                + fieldsTable.columns().stream().map(ColumnSpec::name).collect(Collectors.joining(", ")));
            }
            check(h.receivingRoles() != null && !h.receivingRoles().isEmpty(), key + ".receiving_roles",
                    "is missing", "list the canonical roles that may receive, e.g. [SDR]");
            for (String role : h.receivingRoles()) {
                check(ROLES.contains(role), key + ".receiving_roles", "'" + role + "' is not a role",
                        "use one of: " + String.join(", ", ROLES));
            }
            check(h.sla() != null && (h.sla().hours() == null) != (h.sla().days() == null), key + ".sla",
                    "needs exactly one of hours or days", "e.g. sla: {hours: 24}");
            double amount = h.sla().hours() != null ? h.sla().hours() : h.sla().days();
            check(amount > 0, key + ".sla", "must be positive, got " + amount, null);
            java.time.Duration sla = java.time.Duration.ofSeconds(Math.round(
                    amount * (h.sla().hours() != null ? 3600 : 86400)));
            List<HandoffContract.ReasonSource> sources = new java.util.ArrayList<>();
            for (String src : h.reasonSources() == null ? List.<String>of() : h.reasonSources()) {
                HandoffContract.ReasonSource rs = enumValue(key + ".reason_sources", src,
                        HandoffContract.ReasonSource.class);
                check(!onOpportunity || rs == HandoffContract.ReasonSource.OPPORTUNITY_LOSS,
                        key + ".reason_sources", "an opportunity handoff has no lead rejection",
                        "use opportunity_loss");
                sources.add(rs);
            }
            List<String> accepted = h.acceptedReasonCategories() == null ? List.of() : h.acceptedReasonCategories();
            for (String c : accepted) {
                check(REASON_CATEGORIES.contains(c), key + ".accepted_reason_categories",
                        "'" + c + "' is not a reason category", "use one of: " + String.join(", ", REASON_CATEGORIES));
            }
            out.add(new HandoffContract(h.name(), h.sender(), h.receiver(), record, entry, h.receivingRoles(),
                    ownerOn, fieldsOn, fields, sla, action, completion, outcome, sources, accepted,
                    h.exceptionOwner()));
        }
        return List.copyOf(out);
    }

    /** A stage name; after {@code after} in funnel order if given; one an opportunity has if asked. */
    private static Stage stage(String key, String value, Stage after, boolean onOpportunity) {
        check(value != null, key, "is missing", "use one of: " + Arrays.toString(Stage.values()));
        Stage s = enumValue(key, value, Stage.class);
        check(after == null || s.order() > after.order(), key, s + " is not after the entry stage " + after,
                "name a later stage");
        check(!onOpportunity || OPPORTUNITY_STAGES.contains(s), key,
                s + " is not a stage an opportunity reaches", "use OPPORTUNITY, WON or BOOKED");
        return s;
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
