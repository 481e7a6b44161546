package dev.handshake.sink.report;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Renders the nightly page and the index of nights from templates precompiled at build time
 * ({@code src/main/jte}); the HTML content type escapes every value by its context.
 */
public final class ReportPages {
    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(ContentType.Html);

    private ReportPages() {}

    public static byte[] report(ReportModel model) {
        Utf8ByteOutput out = new Utf8ByteOutput();
        ENGINE.render("report.jte", model, out);
        return out.toByteArray();
    }

    /** The index of every committed night, from the nights' benchmark summaries. */
    public static byte[] index(Map<LocalDate, byte[]> summaries) {
        List<Nights.Night> nights = Nights.board(summaries).index();
        Utf8ByteOutput out = new Utf8ByteOutput();
        ENGINE.render("index.jte", nights, out);
        return out.toByteArray();
    }
}
