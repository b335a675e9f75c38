package dev.skiff.internal;

import java.time.Duration;
import java.util.Map;

/**
 * Where the service runs, told by the variables each platform sets, and how long that platform
 * waits between SIGTERM and SIGKILL.
 *
 * @param name what operators call it
 * @param killWindow the time between SIGTERM and SIGKILL
 * @param drainDelay the least a drain lasts: how long the platform's routers may keep sending after
 *     SIGTERM whatever readiness says (Kubernetes); zero where they follow readiness or stop
 *     routing before the signal
 */
public record Platform(String name, Duration killWindow, Duration drainDelay) {

    /** The margin left inside the kill window for logging to flush and the JVM to exit. */
    static final Duration MARGIN = Duration.ofSeconds(2);

    /** {@return the platform the environment names; {@code docker stop}'s 10 s when none does} */
    public static Platform detect(Map<String, String> env) {
        if (env.containsKey("KUBERNETES_SERVICE_HOST")) {
            // Endpoints are removed asynchronously after SIGTERM, whatever readiness says: kube-proxy on
            // every node and the ingress controllers learn it seconds later, and send until then.
            return new Platform("Kubernetes", Duration.ofSeconds(30), Duration.ofSeconds(5));
        }
        if (env.containsKey("K_SERVICE")) {
            return new Platform("Cloud Run", Duration.ofSeconds(10), Duration.ZERO);
        }
        if (env.containsKey("DYNO")) {
            return new Platform("Heroku", Duration.ofSeconds(30), Duration.ZERO);
        }
        if (env.containsKey("VCAP_APPLICATION")) {
            return new Platform("Cloud Foundry", Duration.ofSeconds(10), Duration.ZERO);
        }
        if (env.containsKey("FLY_APP_NAME")) {
            return new Platform("Fly.io", Duration.ofSeconds(5), Duration.ZERO);
        }
        return new Platform("an unknown platform (assuming docker stop)", Duration.ofSeconds(10), Duration.ZERO);
    }

    /**
     * {@return this platform with the kill window set by {@code SHUTDOWN_GRACE_PERIOD}: the real
     * grace period, which a process on Kubernetes cannot read}
     */
    public Platform withGracePeriod(Duration gracePeriod) {
        return new Platform(name + " (grace period from SHUTDOWN_GRACE_PERIOD)", gracePeriod, drainDelay);
    }

    /** {@return whether this is Kubernetes, where routing follows endpoints rather than readiness} */
    public boolean kubernetes() {
        return name.startsWith("Kubernetes");
    }

    /** {@return the default shutdown budget: the kill window less a margin} */
    public Duration defaultTimeout() {
        return killWindow.minus(MARGIN);
    }
}
