package dev.handshake.cli;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import dev.handshake.Credentials;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Logback's JSON lines (HANDSHAKE_LOG_FORMAT=json) with credentials masked as in the text format
 * ({@link MaskedMessage}, {@link MaskedThrowable}). The event is masked field by field before it is
 * encoded, not the encoded line: a pattern run over JSON text could match across field boundaries.
 */
public final class MaskedJsonEncoder extends JsonEncoder {
    @Override
    public byte[] encode(ILoggingEvent event) {
        return super.encode(masked(event, ILoggingEvent.class));
    }

    /**
     * A view of a logging event or throwable proxy whose message texts are masked; its cause and
     * suppressed throwables are masked views too.
     */
    @SuppressWarnings("unchecked")
    static <T> T masked(T target, Class<T> type) {
        if (target == null) {
            return null;
        }
        return (T) Proxy.newProxyInstance(MaskedJsonEncoder.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> mask(invoke(target, method, args), method));
    }

    private static Object mask(Object value, Method method) {
        String name = method.getName();
        if (value instanceof String text && (name.equals("getFormattedMessage") || name.equals("getMessage"))) {
            return Credentials.mask(text);
        }
        if (value instanceof IThrowableProxy cause) {
            return masked(cause, IThrowableProxy.class);
        }
        if (value instanceof IThrowableProxy[] suppressed) {
            IThrowableProxy[] out = new IThrowableProxy[suppressed.length];
            for (int i = 0; i < suppressed.length; i++) {
                out[i] = masked(suppressed[i], IThrowableProxy.class);
            }
            return out;
        }
        if (value instanceof Object[] arguments && name.equals("getArgumentArray")) {
            Object[] out = new Object[arguments.length];
            for (int i = 0; i < arguments.length; i++) {
                out[i] = arguments[i] == null ? null : Credentials.mask(String.valueOf(arguments[i]));
            }
            return out;
        }
        return value;
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
