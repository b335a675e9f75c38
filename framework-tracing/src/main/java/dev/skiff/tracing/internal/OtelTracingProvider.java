package dev.skiff.tracing.internal;

import dev.skiff.internal.Tracing;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.resources.Resource;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns tracing on when the environment names where spans go ({@code OTEL_EXPORTER_OTLP_ENDPOINT}
 * or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) and {@code OTEL_SDK_DISABLED} is not true; every
 * other {@code OTEL_*} variable means what OpenTelemetry's SDK says it means. Skiff's defaults,
 * each of which a variable overrides: OTLP over HTTP (http/protobuf), no OpenTelemetry metrics or
 * logs (those are {@code /metrics} and stdout), and the service's name, version, environment and
 * instance from Skiff's own settings.
 */
public final class OtelTracingProvider implements Tracing.Provider {

    @Override
    public Tracing create(Map<String, String> env, Map<String, String> service) {
        if ("true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", "").strip())
                || !set(env, "OTEL_EXPORTER_OTLP_ENDPOINT") && !set(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) {
            return Tracing.NONE;
        }
        String exporter = env.getOrDefault("OTEL_TRACES_EXPORTER", "otlp").strip();
        if (exporter.equals("none")) {
            return Tracing.NONE;
        }
        if (!exporter.equals("otlp")) {
            throw new IllegalArgumentException("OTEL_TRACES_EXPORTER is " + exporter + ": Skiff exports traces with"
                    + " otlp; unset it, or set it to none to turn tracing off");
        }
        String protocolVariable = set(env, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") ? "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"
                : "OTEL_EXPORTER_OTLP_PROTOCOL";
        String protocol = env.getOrDefault(protocolVariable, "http/protobuf").strip();
        if (!protocol.equals("http/protobuf")) {
            throw new IllegalArgumentException(protocolVariable + " is " + protocol + ": Skiff exports"
                    + " OTLP over HTTP; set it to http/protobuf (or unset it) and point OTEL_EXPORTER_OTLP_ENDPOINT"
                    + " at the collector's OTLP/HTTP port, usually 4318");
        }
        var defaults = new HashMap<String, String>();
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
        defaults.put("otel.service.name", service.getOrDefault("service.name", "unknown_service:java"));
        // The variables as given: a test's settings are not the process's environment. In a
        // process, the SDK reads the same ones from the environment itself.
        env.forEach((name, value) -> {
            if (name.startsWith("OTEL_")) {
                defaults.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        var skiffResource = Resource.builder();
        putIfPresent(skiffResource, "service.version", service.get("service.version"));
        putIfPresent(skiffResource, "deployment.environment.name", service.get("service.environment"));
        putIfPresent(skiffResource, "service.instance.id", service.get("service.node.name"));
        Resource ours = skiffResource.build();
        try {
            var sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> defaults)
                    // OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME win over Skiff's settings.
                    .addResourceCustomizer((resource, config) -> ours.merge(resource))
                    .disableShutdownHook()
                    .build()
                    .getOpenTelemetrySdk();
            return new OtelTracing(sdk);
        } catch (ConfigurationException e) {
            // The SDK's message can quote a value: not for the headers, which hold the collector's credentials.
            String message = String.valueOf(e.getMessage());
            String said = message.contains("headers") ? "OTEL_EXPORTER_OTLP_HEADERS (or _TRACES_HEADERS) is not a"
                    + " comma-separated list of name=value pairs" : message;
            throw new IllegalArgumentException("an OTEL_* variable is invalid: " + said
                    + " (see the OpenTelemetry SDK's environment variables)");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("OpenTelemetry's SDK could not start from the OTEL_* variables ("
                    + e.getClass().getSimpleName() + "); set OTEL_SDK_DISABLED=true to start without tracing");
        }
    }

    private static boolean set(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }

    private static void putIfPresent(io.opentelemetry.sdk.resources.ResourceBuilder resource, String key, String value) {
        if (value != null && !value.isBlank()) {
            resource.put(key, value);
        }
    }
}
