package dev.handshake.job;

import dev.handshake.model.AuditWindow;
import dev.handshake.config.AuditConfig;
import dev.handshake.config.AuditConfig.SourceType;
import dev.handshake.jdbc.SecretSource;
import dev.handshake.jdbc.Warehouse;
import dev.handshake.sink.AuditSink;
import dev.handshake.sink.JdbcSink;
import dev.handshake.sink.OutputStore;
import dev.handshake.source.JdbcTableSource;
import dev.handshake.source.LocalFileSource;
import dev.handshake.source.TableSource;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * Opens the configured source and sink: local files or a JDBC warehouse, behind the same
 * interfaces, so the run itself does not know which.
 */
public final class Endpoints {
    private Endpoints() {}

    /** The input tables; {@code window} empty reads every row (validation has no as_of). */
    public static TableSource source(SparkSession spark, AuditConfig config, Optional<AuditWindow> window,
                                     String queryTag, SecretSource secrets) {
        if (config.source().type() == SourceType.LOCAL) {
            return new LocalFileSource(spark, config.source());
        }
        Warehouse.install(spark);
        Warehouse warehouse = Warehouse.connect("source.jdbc", config.source().warehouse(), secrets, queryTag);
        return new JdbcTableSource(spark, config.source(), warehouse, window);
    }

    /** The audit tables' store; reports always go to the file output root. */
    public static AuditSink sink(SparkSession spark, AuditConfig config, String runId, LocalDate asOf,
                                 String queryTag, SecretSource secrets) {
        OutputStore files = new OutputStore(spark, config.outputRoot().toString(), runId, asOf);
        if (config.outputToWarehouse().isEmpty()) {
            return files;
        }
        Warehouse.install(spark);
        Warehouse warehouse = Warehouse.connect("output.jdbc", config.outputToWarehouse().get(), secrets, queryTag);
        return new JdbcSink(spark, warehouse, runId, asOf, files);
    }

    /** Names the job and run in the warehouse's query history. */
    public static String queryTag(String runId, LocalDate asOf) {
        return "handshake-audit run_id=" + runId + " as_of=" + asOf;
    }
}
