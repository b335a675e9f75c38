package dev.skiff.logging.internal;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/**
 * Logback's stack-trace text with every throwable's message redacted and the whole capped.
 *
 * <p>Only messages can carry what the application put into them; class names and frames are code.
 * Redacting the messages before the text is assembled costs a few short scans instead of scans over
 * a several-kilobyte string.
 */
final class RedactingThrowableConverter extends ThrowableProxyConverter {

    private final Redactor redactor;

    RedactingThrowableConverter(Redactor redactor) {
        this.redactor = redactor;
    }

    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
        return redactor.cap(super.throwableProxyToString(new Redacted(proxy, redactor)));
    }

    /** A throwable whose message, and whose causes' and suppressed throwables' messages, are redacted. */
    private record Redacted(IThrowableProxy proxy, Redactor redactor) implements IThrowableProxy {

        private static IThrowableProxy wrap(IThrowableProxy proxy, Redactor redactor) {
            return proxy == null ? null : new Redacted(proxy, redactor);
        }

        @Override
        public String getMessage() {
            return redactor.redact(proxy.getMessage());
        }

        @Override
        public String getClassName() {
            return proxy.getClassName();
        }

        @Override
        public StackTraceElementProxy[] getStackTraceElementProxyArray() {
            return proxy.getStackTraceElementProxyArray();
        }

        @Override
        public int getCommonFrames() {
            return proxy.getCommonFrames();
        }

        @Override
        public IThrowableProxy getCause() {
            return wrap(proxy.getCause(), redactor);
        }

        @Override
        public IThrowableProxy[] getSuppressed() {
            IThrowableProxy[] suppressed = proxy.getSuppressed();
            if (suppressed == null || suppressed.length == 0) {
                return suppressed;
            }
            var wrapped = new IThrowableProxy[suppressed.length];
            for (int i = 0; i < suppressed.length; i++) {
                wrapped[i] = wrap(suppressed[i], redactor);
            }
            return wrapped;
        }

        @Override
        public boolean isCyclic() {
            return proxy.isCyclic();
        }
    }
}
