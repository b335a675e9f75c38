package dev.skiff;

import dev.skiff.http.internal.Json;

import java.lang.management.ManagementFactory;

/**
 * Work every serving process does sooner or later, started on a thread of its own while the main
 * thread reads the configuration and sets up logging: where the machine has a second core, startup
 * no longer waits for it.
 *
 * <p>Nothing here logs (logging is not configured yet) or depends on the configuration:
 * <ul>
 *   <li>the JVM's platform MBean server, which XNIO registers with when the HTTP server starts:
 *       creating it registers every platform MXBean, 0.2–0.4 s of class loading on one core;
 *   <li>the HTTP layer's JSON mapper, which the first JSON response would otherwise build.
 * </ul>
 * The later callers get the same objects, so when this thread has not finished they wait for it
 * (both are guarded by class initialisation or the JDK's own lock) rather than do the work twice.
 */
final class Preload {

    private Preload() {}

    /** Starts the preloading thread, a daemon, and returns at once. */
    static void start() {
        Thread.ofPlatform().name("skiff-preload").daemon(true).start(() -> {
            ManagementFactory.getPlatformMBeanServer();
            try {
                Class.forName(Json.class.getName(), true, Json.class.getClassLoader());
            } catch (ClassNotFoundException impossible) {
                throw new AssertionError(impossible);
            }
        });
    }
}
