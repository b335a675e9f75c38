package dev.skiff.testing;

import dev.skiff.Skiff;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.management.ObjectName;

/**
 * A service answering JSON of plain shapes (a record, a map), reading a JSON body on one route, and
 * reporting what the JVM's platform MBean server holds when asked for it after startup.
 */
public final class LightApp {

    record Note(String text, Instant at, Optional<String> tag, List<String> labels) {}

    private LightApp() {}

    public static void main(String[] args) {
        Skiff.run(args, app -> app
                .get("/note", ctx -> ctx.json(new Note("hi", Instant.EPOCH, Optional.empty(), List.of("a"))))
                .post("/notes", ctx -> ctx.json(ctx.bodyAs(Note.class)))
                .get("/jmx", ctx -> {
                    var server = ManagementFactory.getPlatformMBeanServer();
                    ctx.json(Map.of("runtime", server.isRegistered(new ObjectName("java.lang:type=Runtime")),
                            "xnio", server.queryNames(new ObjectName("org.xnio:*"), null).size()));
                }));
    }
}
