package dev.skiff.http.internal;

/**
 * Keeps XNIO from creating the JVM's platform MBean server, which it asks for to register its own
 * MBeans when the HTTP server starts: creating the server registers every platform MXBean and
 * describes every {@code jcmd} command, 0.2–0.4 s of one core at startup (raw Undertow pays it too)
 * and about 10 MiB, for MBeans a Skiff service does not read (its figures are on {@code /metrics}).
 *
 * <p>XNIO looks the server up once, in a holder class, and registers nothing when that fails. So the
 * holder is initialised here, on the main thread before the application's code runs, with the JDK's
 * MBean server builder setting pointing at a class that does not exist: the lookup fails, the JDK
 * keeps no server, and the setting is cleared at once. Any later caller — a JMX agent, a library,
 * {@code jcmd ManagementAgent.start} — gets the platform MBean server as usual, only without XNIO's
 * MBeans. Left alone: a JVM whose server already exists (started with
 * {@code -Dcom.sun.management.jmxremote…}: XNIO's MBeans are registered there) or whose builder
 * setting was chosen ({@code -Djavax.management.builder.initial}).
 */
public final class XnioMBeans {

    private static final String BUILDER = "javax.management.builder.initial";

    private XnioMBeans() {}

    /** Runs once, before anything else in the process uses JMX or XNIO. */
    public static void skip() {
        if (System.getProperty(BUILDER) != null) {
            return;
        }
        System.setProperty(BUILDER, XnioMBeans.class.getName() + "$NoServerForXnio");
        try {
            Class.forName("org.xnio.Xnio$MBeanHolder", true, XnioMBeans.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError expected) {
            // ExceptionInInitializerError: the lookup failed as meant. XNIO catches what its later
            // uses of the holder throw (NoClassDefFoundError) and registers nothing.
        } finally {
            System.clearProperty(BUILDER);
        }
    }
}
