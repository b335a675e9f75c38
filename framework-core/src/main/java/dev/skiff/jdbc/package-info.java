/**
 * The database behind {@code DATABASE_URL}: {@link dev.skiff.jdbc.DatabaseUrl} turns a
 * {@code postgres://} or {@code jdbc:} URL into what a JDBC driver takes, with the credentials
 * kept apart; {@code app.database()} is the pooled {@link javax.sql.DataSource}.
 */
package dev.skiff.jdbc;
