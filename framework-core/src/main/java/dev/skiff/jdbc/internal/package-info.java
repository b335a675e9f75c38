/**
 * The database behind {@code DATABASE_URL}: {@code DatabaseUrl} turns a {@code postgres://} or
 * {@code jdbc:} URL into what a driver takes, credentials apart; {@code DatabasePool} is the
 * HikariCP pool as a component with its readiness check and outage watch; {@code DatabaseUnavailable}
 * is this module's contribution to HTTP: a database that cannot answer is a 503. Used by
 * framework-core only.
 */
package dev.skiff.jdbc.internal;
