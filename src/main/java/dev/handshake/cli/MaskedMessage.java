package dev.handshake.cli;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.handshake.Credentials;

/**
 * A log line's message with any credential it quotes masked ({@link Credentials#mask}): a
 * driver or library message may repeat a connection string the audit never logs itself.
 * Used by logback.xml as {@code %maskedMsg}.
 */
public final class MaskedMessage extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return Credentials.mask(super.convert(event));
    }
}
