package dev.handshake.source;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_utc_timestamp;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;

import dev.handshake.config.FormatOptions;
import dev.handshake.model.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;

/**
 * Text values read as the contract's types under an export's {@link FormatOptions}: blank and the
 * configured null words are absent; dates and timestamps are tried against each pattern in order
 * (the first that reads the whole value wins), zone-less timestamps are read in the configured
 * zone; a decimal comma is read as the point. Built-in functions only, so the checks stay one
 * projection. With {@link FormatOptions#DEFAULT} every expression is the contract's own.
 */
final class TextValues {
    /** How the ISO form the contract accepts without options is named in a reason. */
    static final String ISO = "ISO 8601 (yyyy-MM-dd[THH:mm[:ss]][zone])";
    private static final String ENDS_WITH_ZONE = "(?:Z|[+-]\\d{2}:?\\d{2})$";
    private static final Pattern ZONE_LETTERS = Pattern.compile("[VzOXxZ]");

    private TextValues() {}

    /** Trimmed text, null when blank or one of the configured null words (compared trimmed). */
    static Column present(Column text, FormatOptions fmt) {
        Column trimmed = trim(text);
        Column absent = trimmed.equalTo(lit(""));
        if (!fmt.nullValues().isEmpty()) {
            absent = absent.or(trimmed.isin(fmt.nullValues().toArray()));
        }
        return when(absent.equalTo(false), trimmed);
    }

    /** Present text as {@code target}, null when it is not a whole value of that type. */
    static Column parse(Column text, ColumnType target, FormatOptions fmt) {
        return switch (target) {
            case DATE -> coalesce(patterns(target, fmt).stream().map(p -> p.equals(ISO)
                    ? iso(text, target, fmt) : to_date(try_to_timestamp(text, lit(p)))).toArray(Column[]::new));
            case TIMESTAMP -> coalesce(patterns(target, fmt).stream().map(p -> p.equals(ISO)
                    ? iso(text, target, fmt) : inZone(try_to_timestamp(text, lit(p)), p, fmt)).toArray(Column[]::new));
            case DECIMAL, INT -> {
                Column number = fmt.decimalSeparator() == ',' ? regexp_replace(text, ",", ".") : text;
                yield when(number.rlike(target.wholeText()), number).try_cast(target.sparkType());
            }
            case STRING, BOOLEAN -> text.try_cast(target.sparkType());
        };
    }

    /**
     * The patterns tried for a date or timestamp column, in order: those of its own kind (the ISO
     * form when none is configured), then those of the other kind (a date column may hold
     * timestamps; a timestamp column dates, read as midnight).
     */
    static List<String> patterns(ColumnType target, FormatOptions fmt) {
        List<String> own = target == ColumnType.DATE ? fmt.dateFormats() : fmt.timestampFormats();
        List<String> other = target == ColumnType.DATE ? fmt.timestampFormats() : fmt.dateFormats();
        List<String> out = new ArrayList<>(own.isEmpty() ? List.of(ISO) : own);
        other.stream().filter(p -> !out.contains(p)).forEach(out::add);
        return out;
    }

    /** What an invalid value's reason adds: the patterns tried, when they are not the contract's. */
    static String tried(ColumnType target, FormatOptions fmt) {
        if (target != ColumnType.DATE && target != ColumnType.TIMESTAMP) {
            return "";
        }
        List<String> tried = patterns(target, fmt);
        return tried.equals(List.of(ISO)) && fmt.timeZone().isEmpty() ? ""
                : " (patterns tried: " + String.join(", ", tried) + ")";
    }

    private static Column iso(Column text, ColumnType target, FormatOptions fmt) {
        Column cast = when(text.rlike(target.wholeText()), text).try_cast(target.sparkType());
        if (target == ColumnType.DATE || fmt.timeZone().isEmpty()) {
            return cast;
        }
        return when(text.rlike(ENDS_WITH_ZONE), cast).otherwise(to_utc_timestamp(cast, fmt.timeZone().get().getId()));
    }

    /** A value read by a pattern without a zone is wall-clock time in the configured zone. */
    private static Column inZone(Column parsed, String pattern, FormatOptions fmt) {
        if (fmt.timeZone().isEmpty() || ZONE_LETTERS.matcher(pattern.replaceAll("'[^']*'", "")).find()) {
            return parsed;
        }
        return to_utc_timestamp(parsed, fmt.timeZone().get().getId());
    }
}
