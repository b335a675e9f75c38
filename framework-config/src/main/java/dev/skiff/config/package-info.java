/**
 * Typed configuration: {@link dev.skiff.config.Configuration} loads the layers once (library
 * defaults, {@code application.conf}, {@code .env}, system properties, environment variables),
 * then binds blocks to records; {@link dev.skiff.config.Secret} and
 * {@link dev.skiff.config.ByteSize} are the value types it adds, and
 * {@link dev.skiff.config.ConfigurationException} carries every {@link dev.skiff.config.ConfigProblem}
 * found in one report.
 *
 * <p>The rest of the package is package-private: the layers and their merge ({@code Layers},
 * {@code Sources}, {@code DotEnv}), the one naming rule for variables ({@code EnvNames}), binding
 * to records ({@code RecordBinder}, the one place Skiff reflects), and what counts as a secret
 * ({@code SecretKeys}, {@code UrlSecrets}).
 */
package dev.skiff.config;
