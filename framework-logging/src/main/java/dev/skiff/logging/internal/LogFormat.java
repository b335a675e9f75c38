package dev.skiff.logging.internal;

/** How each log event is written to stdout. */
public enum LogFormat {
    /** One JSON object per line with Elastic Common Schema names, for log collectors. */
    JSON,
    /**
     * One JSON object per line with the field names Google Cloud Logging reads: {@code severity},
     * {@code time}, {@code logging.googleapis.com/trace} and {@code spanId}, {@code serviceContext}
     * and {@code stack_trace} for Error Reporting.
     */
    GCP,
    /** One readable line per event, for people; coloured on a terminal. */
    TEXT,
    /** Text when stdout is a terminal, JSON otherwise. */
    AUTO
}
