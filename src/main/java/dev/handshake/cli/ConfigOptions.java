package dev.handshake.cli;

import dev.handshake.config.AuditConfig;
import dev.handshake.config.ConfigLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --config and --input, shared by the commands that read inputs. */
final class ConfigOptions {
    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "YAML configuration, e.g. conf/local.yaml")
    Path config;

    @Option(names = "--input", paramLabel = "DIR",
            description = "Directory of input tables; overrides source.root")
    Path input;

    AuditConfig load() {
        AuditConfig cfg = ConfigLoader.load(config);
        if (input != null) {
            cfg = cfg.withInputRoot(input);
        }
        ConfigLoader.checkInputRoot(cfg, input != null);
        return cfg;
    }
}
