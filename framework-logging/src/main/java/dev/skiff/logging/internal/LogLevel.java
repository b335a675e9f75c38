package dev.skiff.logging.internal;

/** The least severe events that are written; {@code OFF} writes none. */
public enum LogLevel {
    /** Everything, including step-by-step detail. */
    TRACE,
    /** Detail for diagnosing a problem. */
    DEBUG,
    /** What the service does: startup, requests, shutdown. */
    INFO,
    /** Something unexpected that the service survived. */
    WARN,
    /** Something failed. */
    ERROR,
    /** Nothing. */
    OFF
}
