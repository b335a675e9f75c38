package dev.skiff.testing;

import dev.skiff.Skiff;
import dev.skiff.lifecycle.Component;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A service with two components, alpha and beta, whose faults are chosen by environment variables:
 * FAIL_START, HANG_START, FAIL_STOP, HANG_STOP name a component; SLOW_START=name:ms delays one (before
 * it fails or hangs, if it does);
 * CHECK=throw|hang adds a failing readiness check.
 */
public final class LifecycleApp {

    private LifecycleApp() {}

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        Skiff.run(args, app -> {
            app.component(component("alpha", env));
            app.component(component("beta", env));
            String check = env.getOrDefault("CHECK", "");
            if (check.equals("throw")) {
                app.readinessCheck("backend", () -> {
                    throw new IllegalStateException("backend refused the connection");
                });
            } else if (check.equals("hang")) {
                app.readinessCheck("backend", () -> new CountDownLatch(1).await());
            }
            app.get("/hello", ctx -> ctx.text("hello"));
        });
    }

    private static Component component(String name, Map<String, String> env) {
        return new Component() {
            @Override
            public void start() throws Exception {
                String slow = env.getOrDefault("SLOW_START", "");
                if (slow.startsWith(name + ":")) {
                    Thread.sleep(Long.parseLong(slow.substring(name.length() + 1)));
                }
                if (name.equals(env.get("FAIL_START"))) {
                    throw new IllegalStateException(name + " cannot reach its broker");
                }
                if (name.equals(env.get("HANG_START"))) {
                    new CountDownLatch(1).await();
                }
            }

            @Override
            public void stop() throws Exception {
                if (name.equals(env.get("FAIL_STOP"))) {
                    throw new IllegalStateException(name + " could not flush its buffer");
                }
                if (name.equals(env.get("HANG_STOP"))) {
                    new CountDownLatch(1).await();
                }
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
