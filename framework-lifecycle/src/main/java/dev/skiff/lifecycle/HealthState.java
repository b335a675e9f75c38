package dev.skiff.lifecycle;

/** Where a service is in its life, as its probes report it. */
public enum HealthState {
    /** Components are starting; readiness is down, startup probe not yet passed. */
    STARTING,
    /** Started and accepting traffic; readiness is up while every check passes. */
    READY,
    /** Shutting down: readiness is down so load balancers stop routing, requests still served. */
    DRAINING,
    /** Every component has stopped. */
    STOPPED
}
