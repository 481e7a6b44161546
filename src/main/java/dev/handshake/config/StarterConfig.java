package dev.handshake.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.handshake.model.CanonicalTable;
import dev.handshake.model.ColumnSpec;
import dev.handshake.model.ColumnType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The starter configuration {@code init} prints for an export (docs/own-data.md, "init"): the
 * tables found and their columns guessed from the headers ({@code init/guesses.yaml}), each guess
 * commented with its header; the raw labels of the status, stage, role, reason and booking-status
 * columns under the shipped mappings, each with its guessed value and a {@code # check} mark; and
 * the shipped handoffs, thresholds and workflows ({@code conf/local.yaml}) as they are. Pure: the
 * export is read by the caller, through {@link Export}.
 */
public final class StarterConfig {
    /** A file or directory of the export and its header. */
    public record FoundTable(String name, String path, List<String> headers) {
        public FoundTable {
            requireNonNull(name, "name is null");
            requireNonNull(path, "path is null");
            headers = List.copyOf(headers);
        }
    }

    /** What the guesses need from the data: a few values of a column, and its distinct labels. */
    public interface Export {
        List<FoundTable> tables();

        /** Up to {@code limit} distinct non-blank values of a column, sorted. */
        List<String> distinct(FoundTable table, String header, int limit);

        /** The first {@code limit} rows of a table, header to trimmed text (null when empty). */
        List<Map<String, String>> sample(FoundTable table, int limit);
    }

    /** Labels listed per column; a column with more is no label column and is left alone. */
    static final int MAX_LABELS = 40;
    /** Rows read from the top of each table to guess date patterns and null words. */
    static final int SAMPLE_ROWS = 1000;
    private static final List<String> NULL_WORDS = List.of("nan", "null", "n/a", "none", "#n/a");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper SCALARS = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build());
    private static final Pattern TOP_KEY = Pattern.compile("^([a-z_]+):.*");

    /** Which canonical columns hold labels, and the mapping each is listed under. */
    private enum LabelKind {
        LEAD_STATUS("lead_status", "/stage_mapping/lead_status"),
        OPPORTUNITY_STAGE("opportunity_stage", "/stage_mapping/opportunity_stage"),
        ROLES("roles", "/role_mapping"),
        REASONS("reasons", "/reason_categories"),
        BOOKING_STATUS("booking_status", "/reconciliation/booking_status");

        final String guessKey;
        final String shippedPointer;

        LabelKind(String guessKey, String shippedPointer) {
            this.guessKey = guessKey;
            this.shippedPointer = shippedPointer;
        }

        static Optional<LabelKind> of(CanonicalTable table, String column) {
            return Optional.ofNullable(switch (table.tableName() + "." + column) {
                case "leads.status", "lead_status_history.status" -> LEAD_STATUS;
                case "opportunities.stage_name", "opportunity_history.stage_name" -> OPPORTUNITY_STAGE;
                case "users.role" -> ROLES;
                case "leads.rejection_reason", "opportunities.loss_reason" -> REASONS;
                case "bookings.status" -> BOOKING_STATUS;
                default -> null;
            });
        }
    }

    /** A raw label found in the data, where, and the canonical value guessed for it (null: none). */
    private record FoundLabel(String label, String where, String guess) {}

    private final String shippedText;
    private final JsonNode shipped;
    private final JsonNode guesses;

    private StarterConfig(String shippedText, JsonNode guesses) {
        this.shippedText = shippedText;
        this.guesses = guesses;
        try {
            this.shipped = YAML.readTree(shippedText);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("shipped configuration cannot be read", e);
        }
    }

    /** The profile name when it is a shipped one; otherwise a configuration error naming the option. */
    public static String checkProfile(String profile) {
        if (!SourceSection.PROFILES.contains(profile)) {
            throw dev.handshake.AuditException.config("--profile", "'" + profile + "' is not a profile",
                    "use one of: " + String.join(", ", SourceSection.PROFILES));
        }
        return profile;
    }

    /** With the shipped configuration and guesses on the class path. */
    public static StarterConfig shipped() {
        try {
            return new StarterConfig(resource("/dev/handshake/conf/local.yaml"),
                    YAML.readTree(resource("/dev/handshake/init/guesses.yaml")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("shipped guesses cannot be read", e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = StarterConfig.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The configuration text for an export below {@code root}.
     *
     * @param profile a shipped source profile whose table paths and column names are tried first
     */
    public String render(Path root, AuditConfig.FileFormat format, Optional<String> profile, Export export) {
        JsonNode profileTables = profile.map(p -> {
            try {
                return YAML.readTree(resource("/dev/handshake/profiles/" + p + ".yaml")).path("tables");
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("shipped profile " + p + " cannot be read", e);
            }
        }).orElse(YAML.missingNode());
        Map<CanonicalTable, FoundTable> assigned = new LinkedHashMap<>();
        List<FoundTable> unassigned = new ArrayList<>();
        for (FoundTable t : export.tables()) {
            Optional<CanonicalTable> table = tableOf(t, profileTables);
            if (table.isPresent() && !assigned.containsKey(table.get())) {
                assigned.put(table.get(), t);
            } else {
                unassigned.add(t);
            }
        }
        Map<LabelKind, List<FoundLabel>> labels = new LinkedHashMap<>();
        StringBuilder source = new StringBuilder();
        source.append("source:\n  type: local\n  root: ").append(scalar(root.toString())).append('\n')
                .append("  format: ").append(format.name().toLowerCase(Locale.ROOT)).append('\n');
        profile.ifPresent(p -> source.append("  profile: ").append(p).append('\n'));
        source.append(options(assigned, export));
        source.append("  tables:\n");
        for (CanonicalTable table : CanonicalTable.values()) {
            FoundTable found = assigned.get(table);
            if (found == null) {
                if (table.required()) {
                    source.append("    # ").append(table.tableName()).append(": not found in the export  # check: give its")
                            .append(" path, or define it with a query over source.raw\n");
                }
                continue;
            }
            source.append(tableEntry(table, found, profileTables.path(table.tableName()).path("columns"), export, labels));
        }
        if (!unassigned.isEmpty()) {
            source.append("  # Files not recognised as a canonical table: use them in a tables.<table>.query, or delete.\n");
            source.append("  raw:\n");
            for (FoundTable t : unassigned) {
                source.append("    ").append(rawName(t.name())).append(": {path: ").append(scalar(t.path()))
                        .append("}  # headers: ").append(String.join(", ", t.headers())).append('\n');
            }
        }
        return compose(source.toString(), labels);
    }

    /** A table of the export that, as the starter configuration reads it, quarantines rows. */
    public record Quarantining(String table, long quarantined, long read) {
        double pct() {
            return read == 0 ? 0.0 : 100.0 * quarantined / read;
        }
    }

    /** The tolerance line of the shipped contract section: {@code init} marks it when the export exceeds it. */
    private static final Pattern TOLERANCE = Pattern.compile("(?m)^  max_quarantined_pct: ([0-9.]+)$");

    /**
     * The starter text with its quarantine tolerance marked "# check" when a table of this export,
     * read through the starter configuration, quarantines more than that share: validate would
     * stop on it. The value stays as shipped; raising it is the reader's decision, after reading
     * validate's list of problems.
     */
    public static String markTolerance(String text, List<Quarantining> tables) {
        Matcher m = TOLERANCE.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("the shipped contract section has no max_quarantined_pct line");
        }
        double tolerance = Double.parseDouble(m.group(1));
        List<String> over = new ArrayList<>();
        for (Quarantining t : tables) {
            if (t.pct() > tolerance) {
                over.add(String.format(Locale.ROOT, "%s %d of %d rows (%.2f %%)", t.table(), t.quarantined(), t.read(),
                        t.pct()));
            }
        }
        if (over.isEmpty()) {
            return text;
        }
        return text.substring(0, m.end()) + "  # check: in this export " + String.join(", ", over)
                + " break the contract, above this share; validate lists each problem. Fix the export or raise this"
                + text.substring(m.end());
    }

    /** The shipped file, section by section, with source and the label mappings written for this export. */
    private String compose(String source, Map<LabelKind, List<FoundLabel>> labels) {
        StringBuilder out = new StringBuilder();
        out.append("# Starter configuration written by `handshake-audit init`. Each column guess names the header\n")
                .append("# it came from; a line marked \"# check\" needs your eye. Then:\n")
                .append("#   handshake-audit validate --config THIS_FILE\n")
                .append("# The handoffs, thresholds and workflows below are the shipped ones (conf/local.yaml).\n\n");
        for (Map.Entry<String, String> section : sections().entrySet()) {
            String text = section.getValue();
            // A section written here keeps the shipped comments above it.
            String above = text.substring(0, text.indexOf(section.getKey() + ":"));
            switch (section.getKey()) {
                case "source", "stage_mapping", "role_mapping", "reason_categories" -> out.append(above);
                default -> { }
            }
            switch (section.getKey()) {
                case "source" -> out.append(source).append('\n');
                case "stage_mapping" -> out.append("stage_mapping:\n")
                        .append(mapping(LabelKind.LEAD_STATUS, labels, "  lead_status:\n", "    "))
                        .append(mapping(LabelKind.OPPORTUNITY_STAGE, labels, "  opportunity_stage:\n", "    "))
                        .append('\n');
                case "role_mapping" -> out.append(mapping(LabelKind.ROLES, labels, "role_mapping:\n", "  ")).append('\n');
                case "reason_categories" -> out.append(mapping(LabelKind.REASONS, labels, "reason_categories:\n", "  "))
                        .append('\n');
                case "reconciliation" -> {
                    int at = text.indexOf("\n  booking_status:");
                    out.append(at < 0 ? text : text.substring(0, at + 1)
                            + mapping(LabelKind.BOOKING_STATUS, labels, "  booking_status:\n", "    ") + "\n");
                }
                default -> out.append(text);
            }
        }
        return out.toString();
    }

    /** The shipped file's top-level sections, each with the comment lines just above it. */
    private Map<String, String> sections() {
        Map<String, String> out = new LinkedHashMap<>();
        StringBuilder pending = new StringBuilder();
        String current = null;
        StringBuilder body = new StringBuilder();
        for (String line : shippedText.split("\n", -1)) {
            Matcher m = TOP_KEY.matcher(line);
            if (m.matches()) {
                if (current != null) {
                    out.put(current, body.toString());
                }
                current = m.group(1);
                body = new StringBuilder(current.equals(firstKey()) ? "" : pending.toString());
                pending.setLength(0);
                body.append(line).append('\n');
            } else if (line.startsWith("#") || line.isBlank()) {
                pending.append(line).append('\n');
            } else if (current != null) {
                body.append(pending).append(line).append('\n');
                pending.setLength(0);
            }
        }
        if (current != null) {
            out.put(current, body.append(pending).toString());
        }
        return out;
    }

    private String firstKey() {
        return shipped.fieldNames().next();
    }

    private Optional<CanonicalTable> tableOf(FoundTable t, JsonNode profileTables) {
        String name = norm(t.name());
        for (CanonicalTable table : CanonicalTable.values()) {
            JsonNode names = guesses.path("tables").path(table.tableName()).path("names");
            String profilePath = profileTables.path(table.tableName()).path("path").asText("");
            if (norm(profilePath).equals(name)) {
                return Optional.of(table);
            }
            for (JsonNode n : names) {
                if (norm(n.asText()).equals(name)) {
                    return Optional.of(table);
                }
            }
        }
        return Optional.empty();
    }

    private String tableEntry(CanonicalTable table, FoundTable found, JsonNode profileColumns, Export export,
                              Map<LabelKind, List<FoundLabel>> labels) {
        StringBuilder out = new StringBuilder();
        out.append("    ").append(table.tableName()).append(":\n      path: ").append(scalar(found.path()))
                .append("  # found in the export\n      columns:\n");
        Map<String, String> byNorm = new LinkedHashMap<>();
        found.headers().forEach(h -> byNorm.putIfAbsent(norm(h), h));
        List<String> unfound = new ArrayList<>();
        boolean closedDeals = table == CanonicalTable.OPPORTUNITIES
                && (norm(found.name()).contains("won") || norm(found.name()).contains("closed"));
        for (ColumnSpec spec : table.columns()) {
            Optional<String> header = headerFor(table, spec.name(), profileColumns, byNorm);
            if (header.isPresent()) {
                out.append("        ").append(spec.name()).append(": ").append(scalar(header.get()))
                        .append("  # header \"").append(header.get()).append("\"\n");
                LabelKind.of(table, spec.name()).ifPresent(kind -> {
                    List<String> values = export.distinct(found, header.get(), MAX_LABELS + 1);
                    if (values.size() <= MAX_LABELS) {
                        values.forEach(v -> labels.computeIfAbsent(kind, k -> new ArrayList<>()).add(
                                new FoundLabel(v, table.tableName() + "." + header.get(), guess(kind, v))));
                    }
                });
            } else if (closedDeals && spec.name().equals("created_at")
                    && headerFor(table, "close_date", profileColumns, byNorm).isPresent()) {
                String won = headerFor(table, "close_date", profileColumns, byNorm).get();
                out.append("        created_at: ").append(scalar(won)).append("  # check: header \"").append(won)
                        .append("\"; a closed-deals file has no creation date, the win stands in\n");
            } else if (closedDeals && spec.name().equals("stage_name")) {
                out.append("        stage_name: {value: \"Closed Won\"}  # check: no stage column; every row of a")
                        .append(" closed-deals file is won\n");
            } else if (closedDeals && spec.name().equals("is_won")) {
                out.append("        is_won: {value: \"true\"}  # check: as stage_name\n");
            } else if (spec.required()) {
                out.append("        # ").append(spec.name()).append(": required, no header found  # check: map a")
                        .append(" column, or give {value: ...} or {expr: ...}\n");
            } else {
                unfound.add(spec.name());
            }
        }
        if (!unfound.isEmpty()) {
            out.append("        # not found: ").append(String.join(", ", unfound)).append('\n');
        }
        return out.toString();
    }

    private Optional<String> headerFor(CanonicalTable table, String column, JsonNode profileColumns,
                                       Map<String, String> byNorm) {
        List<String> candidates = new ArrayList<>();
        if (profileColumns.has(column) && profileColumns.get(column).isTextual()) {
            candidates.add(profileColumns.get(column).asText());
        }
        guesses.path("tables").path(table.tableName()).path("columns").path(column)
                .forEach(n -> candidates.add(n.asText()));
        candidates.add(column);
        return candidates.stream().map(c -> byNorm.get(norm(c))).filter(h -> h != null).findFirst();
    }

    /** The shipped mapping's value for a label, else the first guess word it contains, else null. */
    private String guess(LabelKind kind, String label) {
        String normal = LabelMapping.normalize(label);
        JsonNode mapping = shipped.at(kind.shippedPointer);
        for (Iterator<Map.Entry<String, JsonNode>> it = mapping.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            for (JsonNode l : e.getValue()) {
                if (LabelMapping.normalize(l.asText()).equals(normal)) {
                    return e.getKey();
                }
            }
        }
        String squashed = norm(label);
        for (Iterator<Map.Entry<String, JsonNode>> it = guesses.path("labels").path(kind.guessKey).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            for (JsonNode word : e.getValue()) {
                String w = word.asText();
                boolean hit = w.length() <= 3 ? List.of(normal.split("[^a-z0-9]+")).contains(w) : squashed.contains(norm(w));
                if (hit) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    /** One label mapping: the shipped labels, then the labels found, each under its guess. */
    private String mapping(LabelKind kind, Map<LabelKind, List<FoundLabel>> labels, String header, String indent) {
        StringBuilder out = new StringBuilder(header);
        List<FoundLabel> found = labels.getOrDefault(kind, List.of());
        JsonNode mapping = shipped.at(kind.shippedPointer);
        for (Iterator<Map.Entry<String, JsonNode>> it = mapping.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.append(indent).append(e.getKey()).append(":\n");
            TreeSet<String> listed = new TreeSet<>();
            for (JsonNode l : e.getValue()) {
                listed.add(LabelMapping.normalize(l.asText()));
                String where = found.stream().filter(f -> LabelMapping.normalize(f.label())
                        .equals(LabelMapping.normalize(l.asText()))).map(FoundLabel::where).findFirst().orElse(null);
                out.append(indent).append("  - ").append(scalar(l.asText()))
                        .append(where == null ? "" : "  # check: found in " + where).append('\n');
            }
            for (FoundLabel f : found) {
                if (e.getKey().equals(f.guess()) && listed.add(LabelMapping.normalize(f.label()))) {
                    out.append(indent).append("  - ").append(scalar(f.label())).append("  # check: found in ")
                            .append(f.where()).append(", guessed ").append(e.getKey()).append('\n');
                }
            }
        }
        found.stream().filter(f -> f.guess() == null).forEach(f -> out.append(indent).append("# ")
                .append(scalar(f.label())).append(": found in ").append(f.where())
                .append(", no guess  # check: list it under its value\n"));
        return out.toString();
    }

    /** Source options guessed from the values of date and timestamp columns: day-first or month-first. */
    private String options(Map<CanonicalTable, FoundTable> assigned, Export export) {
        Map<String, String> formats = new LinkedHashMap<>();
        TreeSet<String> nulls = new TreeSet<>();
        for (Map.Entry<CanonicalTable, FoundTable> e : assigned.entrySet()) {
            Map<String, String> byNorm = new LinkedHashMap<>();
            e.getValue().headers().forEach(h -> byNorm.putIfAbsent(norm(h), h));
            List<String> dateHeaders = e.getKey().columns().stream()
                    .filter(c -> c.type() == ColumnType.DATE || c.type() == ColumnType.TIMESTAMP)
                    .map(c -> headerFor(e.getKey(), c.name(), YAML.missingNode(), byNorm)).flatMap(Optional::stream)
                    .toList();
            for (Map<String, String> row : export.sample(e.getValue(), SAMPLE_ROWS)) {
                row.forEach((header, v) -> {
                    if (v != null && NULL_WORDS.contains(v.toLowerCase(Locale.ROOT))) {
                        nulls.add(v);
                    } else if (v != null && dateHeaders.contains(header)) {
                        DatePattern.of(v).ifPresent(p -> formats.merge(p.shape(), p.pattern(),
                                (a, b) -> a.startsWith("MM") ? a : b));
                    }
                });
            }
        }
        if (formats.isEmpty() && nulls.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("  options:\n");
        List<String> dates = formats.values().stream().filter(p -> !p.contains("HH")).distinct().toList();
        List<String> times = formats.values().stream().filter(p -> p.contains("HH")).distinct().toList();
        if (!dates.isEmpty()) {
            out.append("    date_formats: ").append(list(dates)).append("  # check: guessed from the values\n");
        }
        if (!times.isEmpty()) {
            out.append("    timestamp_formats: ").append(list(times)).append("  # check: guessed from the values\n")
                    .append("    time_zone: UTC  # check: the zone your export writes times in\n");
        }
        if (!nulls.isEmpty()) {
            out.append("    null_values: ").append(list(List.copyOf(nulls))).append("  # check: found where values were expected\n");
        }
        return out.toString();
    }

    /** A day-first or month-first date, with or without a time; ISO dates need no option. */
    private record DatePattern(String shape, String pattern) {
        private static final Pattern SLASHED = Pattern.compile("(\\d{1,2})([-/.])(\\d{1,2})\\2(\\d{4})( \\d{1,2}:\\d{2}(:\\d{2})?)?");

        static Optional<DatePattern> of(String value) {
            Matcher m = SLASHED.matcher(value);
            if (!m.matches()) {
                return Optional.empty();
            }
            String sep = m.group(2);
            boolean monthFirst = Integer.parseInt(m.group(3)) > 12;
            String date = monthFirst ? "MM" + sep + "dd" + sep + "yyyy" : "dd" + sep + "MM" + sep + "yyyy";
            String time = m.group(5) == null ? "" : m.group(6) == null ? " HH:mm" : " HH:mm:ss";
            return Optional.of(new DatePattern(sep + time, date + time));
        }
    }

    private static String list(List<String> values) {
        return "[" + String.join(", ", values.stream().map(StarterConfig::scalar).toList()) + "]";
    }

    private static String rawName(String name) {
        String n = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        n = n.isEmpty() || !Character.isLetter(n.charAt(0)) ? "raw_" + n : n;
        return CanonicalTable.byName(n).isPresent() ? "raw_" + n : n;
    }

    /** A name compared as guesses.yaml says: lower case, letters and digits only. */
    static String norm(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("__c$", "").replaceAll("[^a-z0-9]", "");
    }

    /** A YAML scalar, quoted by the YAML library whenever it needs to be. */
    static String scalar(String value) {
        try {
            return SCALARS.writeValueAsString(value).strip();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
