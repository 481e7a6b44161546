package dev.handshake;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package layout is the pipeline, and imports only point down (docs/architecture.md). Each
 * layer lists the layers it may use, so an import that runs back up fails the build by name.
 */
@AnalyzeClasses(packages = "dev.handshake", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String KERNEL = "Kernel";
    private static final String MODEL = "Model";
    private static final String CONFIG = "Config";
    private static final String JDBC = "Jdbc";
    private static final String SOURCE = "Source";
    private static final String AUDIT = "Audit";
    private static final String SINK = "Sink";
    private static final String SAMPLE = "Sample";
    private static final String JOB = "Job";
    private static final String CLI = "Cli";

    @ArchTest
    static final ArchRule importsOnlyPointDown = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .ensureAllClassesAreContainedInArchitecture()
            // The root package only: the user error type, step timing, checkpoints, credentials.
            .layer(KERNEL).definedBy("dev.handshake")
            .layer(MODEL).definedBy("dev.handshake.model..")
            .layer(CONFIG).definedBy("dev.handshake.config..")
            .layer(JDBC).definedBy("dev.handshake.jdbc..")
            .layer(SOURCE).definedBy("dev.handshake.source..")
            .layer(AUDIT).definedBy("dev.handshake.audit..")
            .layer(SINK).definedBy("dev.handshake.sink..")
            // The sample generator is a tool of its own beside the job: it writes inputs, it does
            // not read them, so it stands on the vocabulary alone.
            .layer(SAMPLE).definedBy("dev.handshake.sample..")
            .layer(JOB).definedBy("dev.handshake.job..")
            .layer(CLI).definedBy("dev.handshake.cli..")
            .whereLayer(KERNEL).mayNotAccessAnyLayer()
            .whereLayer(MODEL).mayOnlyAccessLayers(KERNEL)
            .whereLayer(CONFIG).mayOnlyAccessLayers(KERNEL, MODEL)
            .whereLayer(JDBC).mayOnlyAccessLayers(KERNEL, MODEL, CONFIG)
            // An audit never reads or writes: no jdbc, no sink.
            .whereLayer(SOURCE).mayOnlyAccessLayers(KERNEL, MODEL, CONFIG, JDBC)
            .whereLayer(AUDIT).mayOnlyAccessLayers(KERNEL, MODEL, CONFIG, SOURCE)
            .whereLayer(SINK).mayOnlyAccessLayers(KERNEL, MODEL, CONFIG, JDBC, SOURCE, AUDIT)
            .whereLayer(SAMPLE).mayOnlyAccessLayers(KERNEL, MODEL)
            .whereLayer(JOB).mayOnlyAccessLayers(KERNEL, MODEL, CONFIG, JDBC, SOURCE, AUDIT, SINK)
            .whereLayer(CLI).mayOnlyAccessLayers(KERNEL, MODEL, CONFIG, JDBC, SOURCE, AUDIT, SINK, SAMPLE, JOB)
            .because("the package layout is the pipeline and imports only point down");
}
