package dev.handshake.e2e;

import dev.handshake.config.AuditConfig;
import dev.handshake.config.ConfigLoader;
import dev.handshake.job.AuditJob;
import dev.handshake.sample.Manifest;
import dev.handshake.sample.SampleGenerator;
import dev.handshake.sample.SampleSpec;
import dev.handshake.testing.SharedSpark;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** On generated data of other seeds, categories still partition the inputs and every bridge ties out. */
class ReconciliationPropertyTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {7, 2027})
    void categoriesPartitionTheInputsAndBridgesTieOut(long seed) {
        Manifest manifest = SampleGenerator.generate(SharedSpark.get(),
                new SampleSpec(dir.resolve("in"), 3000, seed, SampleSpec.DEFAULT_AS_OF));
        AuditConfig config = ConfigLoader.load(Path.of("conf/local.yaml"))
                .withInputRoot(dir.resolve("in")).withOutputRoot(dir.resolve("out"));
        new AuditJob(SharedSpark.get(), config).run(manifest.asOfDate());
        GeneratedSampleAuditTest.assertReconciliation(dir.resolve("out"), manifest);
    }
}
