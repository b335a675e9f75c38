package dev.skiff.http.internal;

import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;

/**
 * Keeps XNIO from creating the JVM's platform MBean server, which it asks for to register its own
 * MBeans when the HTTP server starts: creating the server registers every platform MXBean and
 * describes every {@code jcmd} command, 0.2–0.4 s of one core at startup (raw Undertow pays it too)
 * and some MiB, for MBeans a Skiff service does not read (its figures are on {@code /metrics}).
 *
 * <p>XNIO looks the server up once, in a holder class, and registers nothing when that fails. So the
 * holder is initialised here, on the main thread before the application's code runs, with the JDK's
 * MBean server builder setting naming {@link Builder}, which refuses this one lookup: the JDK keeps
 * no server, and the setting is cleared at once. Another thread asking for the server meanwhile gets
 * it as usual (the same builder serves it), and so does any later caller — a JMX agent, a library,
 * {@code jcmd ManagementAgent.start} — only without XNIO's MBeans. Left alone: a JVM whose server
 * already exists (started with {@code -Dcom.sun.management.jmxremote…}: XNIO's MBeans are
 * registered there) or whose builder setting was chosen
 * ({@code -Djavax.management.builder.initial=javax.management.MBeanServerBuilder} brings XNIO's
 * MBeans back).
 */
public final class XnioMBeans {

    private static final String BUILDER = "javax.management.builder.initial";
    /** The thread whose lookup is refused: the one running {@link #skip}. */
    private static volatile Thread refused;

    private XnioMBeans() {}

    /** Runs once, before the application's code and before XNIO starts. */
    public static void skip() {
        if (System.getProperty(BUILDER) != null) {
            return;
        }
        refused = Thread.currentThread();
        System.setProperty(BUILDER, Builder.class.getName());
        try {
            Class.forName("org.xnio.Xnio$MBeanHolder", true, XnioMBeans.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError expected) {
            // ExceptionInInitializerError: the lookup failed as meant. XNIO catches what its later
            // uses of the holder throw (NoClassDefFoundError) and registers nothing.
        } finally {
            System.clearProperty(BUILDER);
            refused = null;
        }
    }

    /**
     * The JDK's MBean server builder, refusing only the lookup {@link #skip} makes; public, with a
     * public constructor, since the JDK makes it by its name.
     */
    public static final class Builder extends MBeanServerBuilder {

        /** Made by the JDK's {@code MBeanServerFactory}. */
        public Builder() {}

        @Override
        public MBeanServerDelegate newMBeanServerDelegate() {
            refuseSkipsLookup(); // the JDK asks for the delegate first: nothing of a server is made
            return super.newMBeanServerDelegate();
        }

        @Override
        public MBeanServer newMBeanServer(String defaultDomain, MBeanServer outer, MBeanServerDelegate delegate) {
            refuseSkipsLookup();
            return super.newMBeanServer(defaultDomain, outer, delegate);
        }

        private static void refuseSkipsLookup() {
            if (Thread.currentThread() == refused) {
                throw new UnsupportedOperationException("no platform MBean server for XNIO's MBeans");
            }
        }
    }
}
