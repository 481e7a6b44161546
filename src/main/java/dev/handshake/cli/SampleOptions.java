package dev.handshake.cli;

import picocli.CommandLine.Option;

/** --leads and --seed, shared by the commands that generate sample data. */
final class SampleOptions {
    @Option(names = "--leads", defaultValue = "20000", paramLabel = "N",
            description = "Number of leads to generate (default: ${DEFAULT-VALUE})")
    long leads;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed (default: ${DEFAULT-VALUE})")
    long seed;
}
