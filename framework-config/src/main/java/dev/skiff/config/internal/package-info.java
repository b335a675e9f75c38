/**
 * What framework-config shares with the other modules without making it API: the one reading of
 * a URL's credentials ({@link dev.skiff.config.internal.UrlCredentials}), used by the
 * configuration's masking, the database module's URL parsing and the log redactor alike; and the
 * constructors of the framework's own settings records ({@link dev.skiff.config.internal.Constructors}).
 * Open to framework-logging, framework-core and framework-jdbc.
 */
package dev.skiff.config.internal;
