package dev.handshake.config;

import static java.util.Objects.requireNonNull;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * How the values of an export are written (docs/own-data.md, "Format options"): the date and
 * timestamp patterns tried in order, the zone of a timestamp written without one, the CSV
 * delimiter, quote, escape and encoding, the words that mean "no value", and the decimal
 * separator. Set for a whole source and overridden per table; {@link #DEFAULT} is the input
 * contract as written (ISO dates, comma-separated UTF-8, blank = absent, '.' decimals).
 */
public record FormatOptions(List<String> dateFormats, List<String> timestampFormats, Optional<ZoneId> timeZone,
                            char delimiter, char quote, char escape, Charset encoding, List<String> nullValues,
                            char decimalSeparator) {
    public static final FormatOptions DEFAULT = new FormatOptions(List.of(), List.of(), Optional.empty(),
            ',', '"', '"', StandardCharsets.UTF_8, List.of(), '.');

    public FormatOptions {
        dateFormats = List.copyOf(dateFormats);
        timestampFormats = List.copyOf(timestampFormats);
        requireNonNull(timeZone, "timeZone is null");
        requireNonNull(encoding, "encoding is null");
        nullValues = List.copyOf(nullValues);
        if (decimalSeparator != '.' && decimalSeparator != ',') {
            throw new IllegalArgumentException("Invalid decimal separator: " + decimalSeparator);
        }
    }

    /** Whether values are parsed exactly as the input contract states, with nothing configured. */
    public boolean parsesAsContract() {
        return dateFormats.isEmpty() && timestampFormats.isEmpty() && timeZone.isEmpty() && nullValues.isEmpty()
                && decimalSeparator == '.';
    }
}
