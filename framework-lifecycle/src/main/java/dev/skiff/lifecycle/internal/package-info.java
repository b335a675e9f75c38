/**
 * The engine: {@code Lifecycle} runs the components and the shutdown sequence within their budgets
 * and answers the probes from {@code HealthChecks}. Used by this module and by framework-core,
 * which puts a service together.
 */
package dev.skiff.lifecycle.internal;
