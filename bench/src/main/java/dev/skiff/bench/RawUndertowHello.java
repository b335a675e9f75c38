package dev.skiff.bench;

import io.undertow.Undertow;
import io.undertow.util.Headers;

/**
 * The floor of the HTTP benchmark: Undertow core alone, answering GET /hello with the same JSON
 * as the sample, on PORT. Run it with Undertow's jars only on the classpath.
 */
public final class RawUndertowHello {

    private RawUndertowHello() {}

    public static void main(String[] args) {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        // DISPATCH=virtual serves on a virtual thread per request, as Skiff does: the cost of the hop.
        String dispatch = System.getenv().getOrDefault("DISPATCH", "io");
        boolean virtual = dispatch.equals("virtual");
        boolean worker = dispatch.equals("worker");
        var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        io.undertow.server.HttpHandler hello = exchange -> {
            if (exchange.getRequestPath().equals("/hello")) {
                        String name = exchange.getQueryParameters().containsKey("name")
                                ? exchange.getQueryParameters().get("name").getFirst() : "world";
                        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                        exchange.getResponseSender().send("{\"message\":\"Hello, " + name + "!\"}");
                    } else if (exchange.getRequestPath().equals("/slow")) {
                        // For the shutdown figure: a request that takes ?ms= milliseconds, off the I/O thread.
                        long ms = Long.parseLong(exchange.getQueryParameters().containsKey("ms")
                                ? exchange.getQueryParameters().get("ms").getFirst() : "2000");
                        Runnable slow = () -> {
                            try {
                                Thread.sleep(ms);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            exchange.getResponseSender().send("done");
                        };
                        if (exchange.isInIoThread()) {
                            exchange.dispatch(executor, slow);
                        } else {
                            slow.run();
                        }
                    } else {
                        exchange.setStatusCode(404);
                        exchange.endExchange();
                    }
                };
        Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setHandler(virtual ? exchange -> exchange.dispatch(executor, () -> {
                    try {
                        exchange.startBlocking();
                        hello.handleRequest(exchange);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }) : worker ? exchange -> exchange.dispatch(() -> {
                    try {
                        exchange.startBlocking();
                        hello.handleRequest(exchange);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }) : hello)
                .build()
                .start();
    }
}
