package dev.skiff.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.skiff.logging.LogContext;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import net.logstash.logback.composite.AbstractJsonProvider;

/** The fields Google Cloud Logging gives a meaning to, written from a Logback event. */
final class GcpProviders {

    static final String TRACE_FIELD = "logging.googleapis.com/trace";
    static final String SPAN_FIELD = "logging.googleapis.com/spanId";

    private GcpProviders() {}

    /** {@code severity}: Cloud Logging's names for Logback's levels. */
    static final class Severity extends AbstractJsonProvider<ILoggingEvent> {
        @Override
        public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
            generator.writeStringField("severity", switch (event.getLevel().toInt()) {
                case Level.ERROR_INT -> "ERROR";
                case Level.WARN_INT -> "WARNING";
                case Level.INFO_INT -> "INFO";
                default -> "DEBUG";
            });
        }
    }

    /** {@code serviceContext}: how Error Reporting groups errors by service and version. */
    static final class ServiceContext extends AbstractJsonProvider<ILoggingEvent> {
        private final String service;
        private final String version;

        ServiceContext(String service, String version) {
            this.service = service;
            this.version = version;
        }

        @Override
        public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
            if (service == null) {
                return;
            }
            generator.writeObjectFieldStart("serviceContext");
            generator.writeStringField("service", service);
            if (version != null) {
                generator.writeStringField("version", version);
            }
            generator.writeEndObject();
        }
    }

    /** The trace and span of the request being served, as Cloud Trace names them. */
    static final class Trace extends AbstractJsonProvider<ILoggingEvent> {
        private final String prefix;

        Trace(Optional<String> project) {
            prefix = project.map(id -> "projects/" + id + "/traces/").orElse("");
        }

        @Override
        public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
            Map<String, String> mdc = event.getMDCPropertyMap();
            String trace = mdc.get(LogContext.TRACE_ID);
            if (trace == null) {
                return;
            }
            generator.writeStringField(TRACE_FIELD, prefix + trace);
            String span = mdc.get(LogContext.SPAN_ID);
            if (span != null) {
                generator.writeStringField(SPAN_FIELD, span);
            }
        }
    }
}
