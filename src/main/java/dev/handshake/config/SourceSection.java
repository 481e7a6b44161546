package dev.handshake.config;

import static dev.handshake.config.ConfigChecks.check;
import static dev.handshake.config.ConfigChecks.enumValue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handshake.AuditException;
import dev.handshake.config.AuditConfig.FileFormat;
import dev.handshake.config.AuditConfig.SourceSettings;
import dev.handshake.config.AuditConfig.SourceType;
import dev.handshake.config.AuditConfig.TableMapping;
import dev.handshake.model.CanonicalTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code source} section (docs/configuration.md, docs/own-data.md): where the inputs are, in
 * which format, and how each canonical table and column is read, a shipped profile laid under the
 * file's own entries.
 */
final class SourceSection {
    private SourceSection() {}

    /** Source profiles shipped with the job: name -> resource holding its table mapping. */
    static final List<String> PROFILES = List.of("generic", "fivetran_salesforce");

    /** The profile's tables with the file's own entries laid over them, table by table, column by column. */
    private static Map<String, ConfigFile.Table> withProfile(String profile, Map<String, ConfigFile.Table> own,
                                                             Map<String, String> keys, ObjectMapper yaml) {
        Map<String, ConfigFile.Table> merged = new LinkedHashMap<>();
        if (profile != null) {
            check(PROFILES.contains(profile), "source.profile", "'" + profile + "' is not a profile",
                    "use one of: " + String.join(", ", PROFILES));
            ConfigFile.Profile p;
            try (var in = SourceSection.class.getResourceAsStream("/dev/handshake/profiles/" + profile + ".yaml")) {
                p = yaml.readValue(in, ConfigFile.Profile.class);
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

    static SourceSettings source(ConfigFile.Source raw, ObjectMapper yaml) {
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
        Map<String, ConfigFile.Table> configured = withProfile(raw.profile(), raw.tables(), keys, yaml);
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
}
