package dev.handshake.cli;

import dev.handshake.AuditException;
import dev.handshake.Credentials;
import dev.handshake.job.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point. Exit codes: 0 success, 2 bad usage or configuration, 3 input contract violated
 * beyond tolerance, 4 alert ({@code --fail-on-band}, {@code --fail-on-new-breaks}), 5 another run holds the lock for the
 * night, 1 any other failure.
 */
@Command(name = "handshake-audit", mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Audits where revenue truth stops surviving the handoffs between marketing, "
                + "sales and finance.",
        subcommands = {GenerateCommand.class, InitCommand.class, ValidateCommand.class, AuditCommand.class, DemoCommand.class, BenchCommand.class})
public final class Main implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        try {
            LogFormat.check();
        } catch (AuditException e) {
            System.err.println("error: " + Credentials.mask(e.getMessage()));
            return e.code().exitCode();
        }
        CommandLine cli = new CommandLine(new Main());
        // picocli's own date conversion shows the parser's exception; a person needs the format.
        cli.registerConverter(java.time.LocalDate.class, Main::date);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof AuditException ae) {
                // An expected user error: its message says what to fix; a stack trace would not.
                commandLine.getErr().println("error: " + Credentials.mask(ae.getMessage()));
                return ae.code().exitCode();
            }
            // A failure around the run (lock, disk, permission) outside a night's own handling.
            java.util.Optional<AuditException> expected = Failures.explain(e, "the output root");
            if (expected.isPresent()) {
                LOG.debug("run failed", e);
                commandLine.getErr().println("error: " + Credentials.mask(expected.get().getMessage()));
                return expected.get().code().exitCode();
            }
            LOG.error("run failed", e);
            commandLine.getErr().println("error: " + Credentials.mask(String.valueOf(e)));
            return AuditException.Code.FAILURE.exitCode();
        });
        return cli.execute(args);
    }

    private static java.time.LocalDate date(String text) {
        try {
            return java.time.LocalDate.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + text
                    + "' is not a date. Fix: write it as YYYY-MM-DD, e.g. 2026-06-30");
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"handshake-audit " + dev.handshake.job.AuditJob.codeVersion()};
        }
    }
}
