/**
 * What an application adds to a process's life: {@link dev.skiff.lifecycle.Component}s started in
 * order and stopped in reverse, {@link dev.skiff.lifecycle.HealthCheck}s behind the probes, the
 * {@link dev.skiff.lifecycle.HealthState} a listener is told, and how a start or a stop ended.
 */
package dev.skiff.lifecycle;
