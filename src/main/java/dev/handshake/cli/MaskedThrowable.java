package dev.handshake.cli;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import dev.handshake.Credentials;

/** A logged stack trace with credentials its messages quote masked; logback.xml's {@code %maskedEx}. */
public final class MaskedThrowable extends ExtendedThrowableProxyConverter {
    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
        return Credentials.mask(super.throwableProxyToString(proxy));
    }
}
