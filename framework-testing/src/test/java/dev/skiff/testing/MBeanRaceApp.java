package dev.skiff.testing;

import dev.skiff.http.internal.XnioMBeans;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A thread of the process's own — an agent's, a library's — that asks for the platform MBean
 * server while XNIO is kept from it: it must get the server. Prints what the thread saw.
 */
public final class MBeanRaceApp {

    private MBeanRaceApp() {}

    public static void main(String[] args) throws Exception {
        AtomicReference<Object> seen = new AtomicReference<>();
        AtomicBoolean skipping = new AtomicBoolean(true);
        Thread other = new Thread(() -> {
            // Waits for the moment XNIO's lookup is being refused, then asks for the server itself.
            while (skipping.get() && System.getProperty("javax.management.builder.initial") == null) {
                Thread.onSpinWait();
            }
            try {
                seen.set(ManagementFactory.getPlatformMBeanServer().getMBeanCount() > 0 ? "a server" : "an empty server");
            } catch (RuntimeException e) {
                seen.set(e);
            }
        });
        other.start();
        XnioMBeans.skip();
        skipping.set(false);
        other.join(30_000);
        System.out.println("the other thread got: " + seen.get());
    }
}
