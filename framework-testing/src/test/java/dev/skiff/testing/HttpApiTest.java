package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.skiff.App;
import dev.skiff.Skiff;
import dev.skiff.config.ConfigurationException;
import dev.skiff.http.HttpException;
import dev.skiff.http.TypeToken;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a JSON API is written with, over real HTTP through the public API alone. */
class HttpApiTest {

    record Caller(String name) {}

    record Item(String sku, int quantity) {}

    record Order(String customerName, List<Item> items) {}

    record Lease(Duration ttl, Instant grantedAt) {}

    // snippet:required
    /** A field left out is null (a number 0); one marked required is a 400 naming it. */
    record Shipment(@JsonProperty(required = true) String address, @JsonProperty(required = true) int boxes,
                    String note) {}
    // end:required

    static final class OutOfStock extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String sku;

        OutOfStock(String sku) {
            super("no " + sku + " left", null, false, false);
            this.sku = sku;
        }
    }

    static final class Gone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Gone() {
            super("gone", null, false, false);
        }
    }

    static final class LedgerDown extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LedgerDown() {
            super("the ledger does not answer", null, false, false);
        }
    }

    // snippet:http-exception
    static final class Locked extends HttpException {
        private static final long serialVersionUID = 1L;

        Locked(long id) {
            super(423, "order " + id + " is being edited");
            type(URI.create("https://shop.example.com/problems/locked")).title("Order locked").with("order_id", id);
        }
    }
    // end:http-exception

    /** A value whose getter throws: no JSON mapper can write it. */
    static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException("no value");
        }
    }

    record PriceQuery(String skuCode) {}

    record Price(int unitPrice) {}

    /** A backing service that answers a snake_case price and keeps the last body it was sent. */
    static final java.util.concurrent.atomic.AtomicReference<String> pricesGot = new java.util.concurrent.atomic.AtomicReference<>();
    static final com.sun.net.httpserver.HttpServer prices;

    static {
        try {
            prices = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
        prices.createContext("/price", exchange -> {
            pricesGot.set(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            byte[] answer = "{\"unit_price\":3}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        prices.start();
    }

    @org.junit.jupiter.api.AfterAll
    static void stopPrices() {
        prices.stop(0);
    }

    static void setup(App app) {
        // snippet:json
        app.json(mapper -> mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
        // end:json
        // snippet:client-json
        var pricing = app.http("prices");
        app.get("/quote/{sku}", ctx -> {
            HttpRequest request = pricing.request("/price")
                    .header("Content-Type", "application/json")
                    .POST(pricing.json(new PriceQuery(ctx.pathParam("sku"))))
                    .build();
            HttpResponse<byte[]> answer = pricing.send(request, HttpResponse.BodyHandlers.ofByteArray());
            ctx.json(pricing.read(answer, Price.class));
        });
        // end:client-json
        // snippet:exception
        app.exception(OutOfStock.class, e -> new HttpException(409, e.getMessage())
                .type(URI.create("https://shop.example.com/problems/out-of-stock"))
                .title("Out of stock")
                .with("sku", e.sku));
        // end:exception
        app.exception(RuntimeException.class, e -> new HttpException(503, "the shop is closing"));
        app.exception(IllegalStateException.class, e -> {
            throw new IllegalArgumentException("a mapping that fails");
        });
        app.backingService("ledger", () -> { }, failure -> failure instanceof LedgerDown);
        app.get("/ledger", ctx -> {
            throw new LedgerDown();
        });
        // snippet:attributes
        app.before(ctx -> ctx.header("X-Caller").ifPresent(name -> ctx.attribute(Caller.class, new Caller(name))));
        app.after(ctx -> ctx.header("X-Status-Seen", Integer.toString(ctx.status())));
        app.get("/whoami", ctx -> ctx.text(ctx.attribute(Caller.class).map(Caller::name).orElse("nobody")));
        // end:attributes
        // snippet:parameters
        app.get("/orders/{id}", ctx -> ctx.json(Map.of("id", ctx.pathParam("id", long.class))));
        app.get("/search", ctx -> ctx.json(Map.of("tags", ctx.queryParams("tag"),
                "limit", ctx.queryParam("limit", int.class).orElse(20), "accept", ctx.headers("X-Multi"))));
        // end:parameters
        app.post("/orders", ctx -> {
            Order order = ctx.bodyAs(Order.class);
            ctx.status(201).json(order);
        });
        // snippet:type-token
        app.post("/orders/batch", ctx -> {
            List<Order> orders = ctx.bodyAs(new TypeToken<List<Order>>() {});
            ctx.json(Map.of("count", orders.size(), "first_customer", orders.getFirst().customerName()));
        });
        // end:type-token
        app.get("/lease", ctx -> ctx.json(new Lease(Duration.ofMinutes(30), Instant.parse("2026-12-06T10:15:30Z"))));
        app.get("/stock/{sku}", ctx -> {
            throw new OutOfStock(ctx.pathParam("sku"));
        });
        app.get("/closing", ctx -> {
            throw new Gone();
        });
        app.get("/broken-mapping", ctx -> {
            throw new IllegalStateException("the handler failed");
        });
        app.get("/locked/{id}", ctx -> {
            throw new Locked(ctx.pathParam("id", long.class));
        });
        app.post("/shipments", ctx -> ctx.json(ctx.bodyAs(Shipment.class)));
        app.get("/unwritable", ctx -> {
            throw new HttpException(409, "a member no mapper can write").with("member", new Unwritable());
        });
        app.get("/not-mine", ctx -> {
            throw HttpException.notFound("no such thing");
        });
        // snippet:tail
        app.get("/files/*", ctx -> ctx.text("file " + ctx.pathParam("*")));
        app.get("/files/special", ctx -> ctx.text("special"));
        // end:tail
        // snippet:group-exception
        app.group("/admin", admin -> admin
                .exception(OutOfStock.class, e -> new HttpException(410, "admin: " + e.getMessage()))
                .before(ctx -> {
                    if (ctx.header("Authorization").isEmpty()) {
                        throw new HttpException(401, "send a token").header("WWW-Authenticate", "Bearer");
                    }
                })
                .get("/stock/{sku}", ctx -> {
                    throw new OutOfStock(ctx.pathParam("sku"));
                })
                .delete("/orders/{id}", ctx -> ctx.status(204)));
        // end:group-exception
    }

    @RegisterExtension
    static final SkiffExtension shop = SkiffExtension.of(HttpApiTest::setup)
            .with("HTTP_CORS_ALLOWED_ORIGINS", "https://app.example.com")
            .with("HTTP_CORS_ALLOW_CREDENTIALS", "true")
            .with("PRICES_URL", "http://127.0.0.1:" + prices.getAddress().getPort());

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode body(HttpResponse<String> response) throws Exception {
        return json.readTree(response.body());
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        var request = shop.request(path).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return shop.send(request);
    }

    @Test
    void aBeforeFilterHandsTheCallerToTheHandlerAndAnAfterFilterReadsTheStatus() throws Exception {
        HttpResponse<String> known = shop.send(shop.request("/whoami").header("X-Caller", "ada"));
        assertThat(known.body()).isEqualTo("ada");
        assertThat(known.headers().firstValue("X-Status-Seen")).contains("200");
        assertThat(shop.get("/whoami").body()).isEqualTo("nobody");
        // The after filter sees the status of an error too.
        assertThat(shop.get("/not-mine").headers().firstValue("X-Status-Seen")).contains("404");
    }

    @Test
    void anApplicationMapsItsExceptionToAProblemOfItsOwnType() throws Exception {
        HttpResponse<String> response = shop.get("/stock/apple");
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = body(response);
        assertThat(problem.get("type").asText()).isEqualTo("https://shop.example.com/problems/out-of-stock");
        assertThat(problem.get("title").asText()).isEqualTo("Out of stock");
        assertThat(problem.get("status").asInt()).isEqualTo(409);
        assertThat(problem.get("detail").asText()).isEqualTo("no apple left");
        assertThat(problem.get("sku").asText()).isEqualTo("apple");
        assertThat(problem.get("request_id").asText()).isEqualTo(response.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(shop.logs()).noneMatch(e -> e.level().equals("ERROR") && e.message().contains("/stock/apple"));
    }

    @Test
    void aGroupsMappingWinsOverTheApplicationsAndKeepsTheFiltersHeaders() throws Exception {
        HttpResponse<String> response = shop.send(shop.request("/admin/stock/pear").header("Authorization", "Bearer x"));
        assertThat(response.statusCode()).isEqualTo(410);
        assertThat(body(response).get("detail").asText()).isEqualTo("admin: no pear left");
        HttpResponse<String> refused = shop.get("/admin/stock/pear");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    }

    @Test
    void theClosestTypeWinsAndAnHttpExceptionIsNotTakenByAMappingOfAnotherType() throws Exception {
        HttpResponse<String> closing = shop.get("/closing");
        assertThat(closing.statusCode()).isEqualTo(503);
        assertThat(body(closing).get("detail").asText()).isEqualTo("the shop is closing");
        // A 5xx the application chose is logged once, with the exception.
        assertThat(shop.logs()).anyMatch(e -> e.level().equals("ERROR") && e.message().contains("GET /closing failed;"
                + " answered 503"));
        HttpResponse<String> notFound = shop.get("/not-mine");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(body(notFound).get("type").asText()).isEqualTo("about:blank");
    }

    @Test
    void aCatchAllMappingLeavesABackingServicesOutageToItsModule() throws Exception {
        HttpResponse<String> response = shop.get("/ledger");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
        assertThat(body(response).get("detail").asText()).isNotEqualTo("the shop is closing");
    }

    @Test
    void aMappingThatFailsIsA500AndLogged() throws Exception {
        HttpResponse<String> response = shop.get("/broken-mapping");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(body(response).get("detail").asText()).startsWith("the server failed to answer");
        assertThat(shop.logs()).anyMatch(e -> e.level().equals("ERROR")
                && e.message().contains("and so did the application's exception mapping"));
    }

    @Test
    void anHttpExceptionOfTheApplicationCarriesTypeTitleAndMembers() throws Exception {
        HttpResponse<String> response = shop.get("/locked/7");
        assertThat(response.statusCode()).isEqualTo(423);
        JsonNode problem = body(response);
        assertThat(problem.get("type").asText()).isEqualTo("https://shop.example.com/problems/locked");
        assertThat(problem.get("title").asText()).isEqualTo("Order locked");
        assertThat(problem.get("order_id").asLong()).isEqualTo(7);
        assertThatThrownBy(() -> new HttpException(400, "x").with("status", 1))
                .hasMessageContaining("\"status\" is a standard member");
        assertThatThrownBy(() -> new HttpException(400, "x").header("Content-Length", "0"))
                .hasMessageContaining("Content-Length is set by the server");
    }

    @Test
    void aProblemWhoseMembersCannotBeWrittenIsStillAnswered() throws Exception {
        HttpResponse<String> response = shop.get("/unwritable");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(shop.logs()).anyMatch(e -> e.level().equals("ERROR")
                && e.message().contains("its problem's members cannot be written as JSON"));
    }

    @Test
    void typedPathAndQueryParametersAnswer400NamingTheParameter() throws Exception {
        assertThat(body(shop.get("/orders/42")).get("id").asLong()).isEqualTo(42);
        HttpResponse<String> notANumber = shop.get("/orders/abc");
        assertThat(notANumber.statusCode()).isEqualTo(400);
        assertThat(body(notANumber).get("detail").asText()).isEqualTo("path parameter {id} is \"abc\", not a whole number");
        // Only ASCII digits: not another script's, not a hex float.
        assertThat(shop.get("/orders/%EF%BC%91").statusCode()).isEqualTo(400);
        assertThat(shop.get("/search?limit=0x10").statusCode()).isEqualTo(400);
        HttpResponse<String> badLimit = shop.get("/search?limit=lots");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(body(badLimit).get("detail").asText()).isEqualTo("query parameter limit is \"lots\", not a whole number");
    }

    @Test
    void everyValueOfAQueryParameterAndOfAHeader() throws Exception {
        JsonNode found = body(shop.send(shop.request("/search?tag=a&tag=b&limit=5")
                .header("X-Multi", "one").header("X-Multi", "two")));
        assertThat(found.get("tags")).extracting(JsonNode::asText).containsExactly("a", "b");
        assertThat(found.get("limit").asInt()).isEqualTo(5);
        assertThat(found.get("accept")).extracting(JsonNode::asText).containsExactly("one", "two");
    }

    @Test
    void aBodyBindsToAGenericTypeThroughATypeToken() throws Exception {
        HttpResponse<String> response = post("/orders/batch", "application/json",
                "[{\"customer_name\":\"ada\",\"items\":[{\"sku\":\"apple\",\"quantity\":2}]},{\"customer_name\":\"bob\",\"items\":[]}]");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response).get("count").asInt()).isEqualTo(2);
        assertThat(body(response).get("first_customer").asText()).isEqualTo("ada");
    }

    @Test
    void aBodyThatIsNotJsonIs415() throws Exception {
        HttpResponse<String> response = post("/orders", "text/plain", "{\"customer_name\":\"ada\",\"items\":[]}");
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(body(response).get("detail").asText()).isEqualTo("the body is text/plain; send it as application/json");
        // A JSON type of its own, and no type at all, are read.
        assertThat(post("/orders", "application/vnd.shop+json; charset=utf-8", "{\"customer_name\":\"ada\",\"items\":[]}")
                .statusCode()).isEqualTo(201);
        assertThat(post("/orders", null, "{\"customer_name\":\"ada\",\"items\":[]}").statusCode()).isEqualTo(201);
    }

    @Test
    void aBadBodyIs400PointingAtTheFieldWithoutNamingAJavaType() throws Exception {
        HttpResponse<String> response = post("/orders", "application/json",
                "{\"customer_name\":\"ada\",\"items\":[{\"sku\":\"apple\",\"quantity\":1},{\"sku\":\"pear\",\"quantity\":\"two\"}]}");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode problem = body(response);
        assertThat(problem.get("pointer").asText()).isEqualTo("/items/1/quantity");
        // The detail docs/http.md shows.
        assertThat(problem.get("detail").asText()).isEqualTo("\"/items/1/quantity\" has the wrong type; expected a whole"
                + " number (got \"two\") (line 1, column 87)");
        HttpResponse<String> unknown = post("/orders", "application/json", "{\"customer_name\":\"ada\",\"itemz\":[]}");
        assertThat(body(unknown).get("detail").asText())
                .isEqualTo("unknown field \"itemz\"; the fields are customer_name, items (line 1, column 35)");
        assertThat(body(post("/orders", "application/json", "{\"customer_name\":\"ada\",\"items\":[]} {}"))
                .get("detail").asText()).startsWith("the body holds more after its JSON value");
        assertThat(body(post("/orders", "application/json",
                "{\"customer_name\":\"ada\",\"items\":[{\"sku\":\"a\",\"quantity\":1.5}]}")).get("pointer").asText())
                .isEqualTo("/items/0/quantity");
        HttpResponse<String> malformed = post("/orders", "application/json", "{");
        assertThat(body(malformed).get("detail").asText()).startsWith("malformed JSON: ").doesNotContain("Source", "Feature");
        for (HttpResponse<String> bad : List.of(response, unknown, post("/orders", "application/json", "[1]"),
                post("/orders/batch", "application/json", "{}"), post("/orders", "application/json", ""))) {
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).doesNotContain("Order", "Item", "java.", "HttpApiTest");
        }
    }

    @Test
    void aFieldLeftOutIsNullUnlessRequired() throws Exception {
        HttpResponse<String> noAddress = post("/shipments", "application/json", "{\"boxes\":2}");
        assertThat(noAddress.statusCode()).isEqualTo(400);
        assertThat(body(noAddress).get("detail").asText()).startsWith("\"/address\" is required");
        assertThat(body(noAddress).get("pointer").asText()).isEqualTo("/address");
        HttpResponse<String> noBoxes = post("/shipments", "application/json", "{\"address\":\"Main St 1\"}");
        assertThat(body(noBoxes).get("detail").asText()).startsWith("\"/boxes\" is required");
        HttpResponse<String> noNote = post("/shipments", "application/json", "{\"address\":\"Main St 1\",\"boxes\":2}");
        assertThat(noNote.statusCode()).isEqualTo(200);
        assertThat(body(noNote).has("note")).isFalse();
    }

    @Test
    void theApplicationsMapperWritesTimesAsIso8601AndItsNaming() throws Exception {
        JsonNode lease = body(shop.get("/lease"));
        assertThat(lease.get("ttl").asText()).isEqualTo("PT30M");
        assertThat(lease.get("granted_at").asText()).isEqualTo("2026-12-06T10:15:30Z");
        HttpResponse<String> created = post("/orders", "application/json", "{\"customer_name\":\"ada\",\"items\":[]}");
        assertThat(body(created).get("customer_name").asText()).isEqualTo("ada");
    }

    @Test
    void theServiceClientsWriteAndReadJsonWithTheApplicationsMapper() throws Exception {
        HttpResponse<String> quote = shop.get("/quote/apple");
        assertThat(quote.statusCode()).isEqualTo(200);
        assertThat(pricesGot.get()).isEqualTo("{\"sku_code\":\"apple\"}");
        assertThat(body(quote).get("unit_price").asInt()).isEqualTo(3);
    }

    @Test
    void everyRouteAnswersOptionsWithAllowAndEveryGetRouteAnswersHead() throws Exception {
        HttpResponse<String> options = shop.send(shop.request("/orders/{id}".replace("{id}", "1"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(options.statusCode()).isEqualTo(204);
        assertThat(options.headers().firstValue("Allow")).contains("GET, HEAD, OPTIONS");
        HttpResponse<String> head = shop.send(shop.request("/lease").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length"))
                .contains(Integer.toString(shop.get("/lease").body().length()));
        HttpResponse<String> wrongMethod = shop.send(shop.request("/lease").DELETE());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET, HEAD, OPTIONS");
    }

    @Test
    void aTailRouteHandsTheRestOfThePathToItsHandler() throws Exception {
        assertThat(shop.get("/files/docs/2026/report.pdf").body()).isEqualTo("file docs/2026/report.pdf");
        assertThat(shop.get("/files/special").body()).isEqualTo("special");
        assertThat(shop.get("/files").statusCode()).isEqualTo(404);
        assertThat(shop.get("/files/").body()).isEqualTo("file ");
    }

    @Test
    void aPreflightIsAnsweredBeforeFiltersForAnAllowedOrigin() throws Exception {
        HttpResponse<String> preflight = shop.send(shop.request("/admin/orders/3")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "DELETE")
                .header("Access-Control-Request-Headers", "authorization, content-type"));
        assertThat(preflight.statusCode()).isEqualTo(204); // the group's token filter did not run
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).contains("true");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).contains("DELETE, OPTIONS");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow()).contains("Authorization");
        assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).contains("600");

        HttpResponse<String> stranger = shop.send(shop.request("/admin/orders/3")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example.net").header("Access-Control-Request-Method", "DELETE"));
        assertThat(stranger.statusCode()).isEqualTo(403);
        assertThat(stranger.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpResponse<String> badHeader = shop.send(shop.request("/admin/orders/3")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com").header("Access-Control-Request-Method", "DELETE")
                .header("Access-Control-Request-Headers", "x-secret-knock"));
        assertThat(badHeader.statusCode()).isEqualTo(403);
        assertThat(body(badHeader).get("detail").asText()).contains("x-secret-knock");
    }

    @Test
    void anAllowedOriginsRequestsCarryCorsHeadersErrorsIncluded() throws Exception {
        HttpResponse<String> ok = shop.send(shop.request("/lease").header("Origin", "https://app.example.com"));
        assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
        assertThat(ok.headers().firstValue("Access-Control-Expose-Headers").orElseThrow()).contains("X-Request-Id");
        assertThat(ok.headers().allValues("Vary")).contains("Origin");
        HttpResponse<String> error = shop.send(shop.request("/stock/kiwi").header("Origin", "https://app.example.com"));
        assertThat(error.statusCode()).isEqualTo(409);
        assertThat(error.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
        HttpResponse<String> stranger = shop.send(shop.request("/lease").header("Origin", "https://evil.example.net"));
        assertThat(stranger.statusCode()).isEqualTo(200);
        // A cache must not hand an answer without CORS headers to the allowed origin.
        assertThat(shop.get("/lease").headers().allValues("Vary")).contains("Origin");
        assertThat(stranger.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void anyOriginWithCredentialsIsRefusedAtStartup() {
        assertThatThrownBy(() -> Skiff.start(Map.of("PORT", "0", "HTTP_CORS_ALLOWED_ORIGINS", "*",
                "HTTP_CORS_ALLOW_CREDENTIALS", "true"), app -> { }))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("allow-credentials = true cannot go with allowed-origins = *");
        assertThatThrownBy(() -> Skiff.start(Map.of("PORT", "0", "HTTP_CORS_ALLOWED_ORIGINS", "app.example.com/"),
                app -> { }))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("is not an origin");
    }
}
