/**
 * What framework-config offers the launcher alone, not as API: the collecting view of a
 * configuration ({@link dev.skiff.config.launch.internal.Binding}) through which setups bind, so
 * that one report names every problem and a process needs only the secrets it reads. Depends on
 * {@code dev.skiff.config}, never the other way. Open to framework-core.
 */
package dev.skiff.config.launch.internal;
