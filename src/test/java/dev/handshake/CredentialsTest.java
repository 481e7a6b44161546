package dev.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.handshake.cli.MaskedJsonEncoder;
import dev.handshake.cli.MaskedMessage;
import dev.handshake.cli.MaskedThrowable;
import dev.handshake.config.ConfigLoader;
import dev.handshake.sink.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A credential in any URL form is refused by the configuration, and masked wherever text is written anyway. */
class CredentialsTest {
    private static final String SECRET = "S3cr3t-Hunter2";

    /** The forms the fault-injection report found passing, and the other parameter names the rule covers. */
    private static final List<String> LEAKING = List.of(
            "jdbc:postgresql://svc:" + SECRET + "@db.internal:5432/crm",
            "jdbc:oracle:thin:svc/" + SECRET + "@db.internal:1521/ORCL",
            "jdbc:oracle:thin:svc/" + SECRET + "@//db.internal:1521/ORCL",
            "jdbc:postgresql://db.internal/crm?user=svc&passwd=" + SECRET,
            "jdbc:sqlserver://db.internal;databaseName=crm;accessToken=" + SECRET,
            "jdbc:snowflake://acme.snowflakecomputing.com/?user=a&PASSWORD=" + SECRET,
            "jdbc:mysql://db.internal/crm?apiKey=" + SECRET + "&ssl=true",
            "jdbc:postgresql://db.internal/crm?client_secret=" + SECRET);

    @TempDir
    Path dir;

    @Test
    void everyLeakingUrlFormIsRefusedByTheConfigurationWithoutEchoingTheSecret() throws Exception {
        for (String url : LEAKING) {
            assertTrue(Credentials.inJdbcUrl(url), url);
            Path yaml = dir.resolve("c.yaml");
            Files.writeString(yaml, "source:\n  type: jdbc\n  jdbc:\n    url: \"" + url + "\"\n");
            AuditException e = assertThrows(AuditException.class, () -> ConfigLoader.load(yaml), url);
            assertEquals(AuditException.Code.USAGE_OR_CONFIG, e.code());
            assertTrue(e.getMessage().startsWith("configuration key 'source.jdbc.url': contains a credential"),
                    e.getMessage());
            assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        }
    }

    @Test
    void urlsWithoutACredentialAreAccepted() {
        for (String url : List.of("jdbc:postgresql://db.internal:5432/crm?user=svc&ssl=true",
                "jdbc:postgresql://svc@db.internal/crm", "jdbc:oracle:thin:@//db.internal:1521/ORCL",
                "jdbc:oracle:thin:@db.internal:1521:ORCL", "jdbc:duckdb:/tmp/w.db",
                "jdbc:snowflake://acme.snowflakecomputing.com/?warehouse=WH&db=RAW&role=AUDIT_READER")) {
            assertFalse(Credentials.inJdbcUrl(url), url);
        }
    }

    @Test
    void everyFormIsMaskedInErrorsTheRunHistoryAndLogLines() throws Exception {
        for (String url : LEAKING) {
            String message = "cannot connect to " + url + " (timeout)";
            assertFalse(Credentials.mask(message).contains(SECRET), Credentials.mask(message));
            assertTrue(Credentials.mask(message).endsWith(" (timeout)"), "the rest is kept: " + Credentials.mask(message));

            RunRecord failed = new RunRecord("r", Instant.now(), Instant.now(), RunRecord.FAILED, "h", "dev",
                    List.of(), List.of(), List.of(), SQLException.class.getName(), message);
            assertFalse(failed.errorMessage().contains(SECRET), "audit_run.error_message: " + failed.errorMessage());

            LoggingEvent event = new LoggingEvent(CredentialsTest.class.getName(),
                    new LoggerContext().getLogger("test"), Level.ERROR, "input={} failed", new SQLException(message),
                    new Object[] {url});
            String line = new MaskedMessage().convert(event);
            assertEquals("input=" + Credentials.mask(url) + " failed", line);
            assertFalse(line.contains(SECRET), line);
            MaskedThrowable trace = new MaskedThrowable();
            trace.start();
            String stack = trace.convert(event);
            assertTrue(stack.contains("SQLException"), stack);
            assertFalse(stack.contains(SECRET), stack);

            // HANDSHAKE_LOG_FORMAT=json: the same event as one JSON line, message and trace masked.
            LoggerContext logging = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
            LoggingEvent jsonEvent = new LoggingEvent(CredentialsTest.class.getName(), logging.getLogger("test"),
                    Level.ERROR, "input={} failed", new SQLException(message), new Object[] {url});
            MaskedJsonEncoder json = new MaskedJsonEncoder();
            json.setContext(logging);
            json.setWithFormattedMessage(true);
            json.start();
            String jsonLine = new String(json.encode(jsonEvent), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(jsonLine.contains("SQLException"), jsonLine);
            com.fasterxml.jackson.databind.JsonNode parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(jsonLine);
            assertEquals("input=" + Credentials.mask(url) + " failed", parsed.get("formattedMessage").asText(), jsonLine);
            assertFalse(jsonLine.contains(SECRET), jsonLine);
        }
        assertEquals("jdbc:postgresql://***@db.internal:5432/crm", Credentials.mask(LEAKING.get(0)));
        assertEquals("jdbc:oracle:thin:***@db.internal:1521/ORCL", Credentials.mask(LEAKING.get(1)));
        assertEquals("jdbc:postgresql://db.internal/crm?user=svc&passwd=***", Credentials.mask(LEAKING.get(3)));
    }
}
