/**
 * The database module ({@code framework-jdbc}) behind {@code DATABASE_URL}: {@code DatabaseModule}
 * joins a process through the module contract, found on the class path; {@code DatabaseUrl} turns a {@code postgres://} or
 * {@code jdbc:} URL into what a driver takes, credentials apart; {@code DatabasePool} is the
 * HikariCP pool as a component with its readiness check and outage watch; {@code DatabaseUnavailable}
 * is this module's answer to the failures it owns: a database that cannot answer is a 503. It has
 * no public types: a service adds the dependency and asks {@code app.database()}.
 */
package dev.skiff.jdbc.internal;
