package dev.handshake.sink.report;

import dev.handshake.config.AuditConfig;
import dev.handshake.config.ConfigLoader;
import dev.handshake.job.AuditJob;
import dev.handshake.sample.SampleGenerator;
import dev.handshake.sample.SampleSpec;
import dev.handshake.testing.SharedSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * The sample run the report tests read, made once per test JVM: the shipped configuration on a
 * generated sample, audited for two nights so the page has a previous night (drift, changes, the
 * scorecard over nights) and the index lists two nights.
 */
final class SampleReportRun {
    static final LocalDate FIRST = SampleSpec.DEFAULT_AS_OF.minusDays(1);
    static final LocalDate SECOND = SampleSpec.DEFAULT_AS_OF;
    private static Path out;

    private SampleReportRun() {}

    static synchronized Path output() {
        if (out == null) {
            try {
                Path dir = Files.createTempDirectory("report-run");
                SampleGenerator.generate(SharedSpark.get(), new SampleSpec(dir.resolve("in"), 2000, 42, SECOND));
                AuditConfig config = ConfigLoader.load(Path.of("conf/local.yaml"))
                        .withInputRoot(dir.resolve("in")).withOutputRoot(dir.resolve("out"));
                new AuditJob(SharedSpark.get(), config).run(FIRST);
                new AuditJob(SharedSpark.get(), config).run(SECOND);
                out = dir.resolve("out");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    static Path report(LocalDate night) {
        return output().resolve("reports").resolve("as_of=" + night).resolve("report.html");
    }

    static Path index() {
        return output().resolve("reports").resolve("index.html");
    }
}
