package dev.skiff.config;

/**
 * One key of the effective configuration, as the {@code config} command and the startup summary
 * show it.
 *
 * @param key the key, such as {@code http.port}
 * @param value the value as text, masked ({@value Secret#MASK}) when it is or looks secret
 * @param origin where the value came from, such as {@code env var PORT} or
 *     {@code application.conf: 3}
 */
record ConfigEntry(String key, String value, String origin) {}
