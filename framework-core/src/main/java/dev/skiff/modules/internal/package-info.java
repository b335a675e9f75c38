/**
 * How the framework's own modules (the database, tracing) and the HTTP clients join a process
 * through the same {@link dev.skiff.Module} contract as a user's: the few things they do that a
 * user's module does not, such as providing the data source behind {@code app.database()} or
 * answering their own failures in their own words. Open to {@code framework-jdbc} and
 * {@code framework-tracing}; not part of the public API.
 */
package dev.skiff.modules.internal;
