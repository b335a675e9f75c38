package dev.skiff.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.skiff.config.Secret;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The writer without jackson-databind against Skiff's default mapper: the same bytes for every value
 * it writes, and every value it is not sure of left to the mapper.
 */
class PlainJsonTest {

    private static final ObjectMapper MAPPER = Json.newMapper();

    enum Colour { RED, GREEN }

    enum Op {
        ADD { @Override int apply(int a, int b) { return a + b; } },
        SUB { @Override int apply(int a, int b) { return a - b; } };

        abstract int apply(int a, int b);
    }

    enum Labelled {
        @JsonProperty("small") SMALL, LARGE
    }

    enum WithValue {
        ONE;

        @JsonValue
        String text() {
            return "one";
        }
    }

    enum WithGetter {
        A;

        public String getLabel() {
            return "a";
        }
    }

    record Point(int x, int y) {}

    record Note(UUID id, String text, Instant created, Optional<String> tag, List<String> labels, Colour colour,
                Map<String, Object> extra, Point at, Duration ttl, LocalDate due, BigDecimal price, boolean done,
                double score, Secret token) {}

    record Empty() {}

    record Flags(boolean active, boolean isEnabled, String getter) {}

    record WithExtraGetter(String name) {
        public int getLength() {
            return name.length();
        }
    }

    record WithExtraIs(String name) {
        public boolean isBlank() {
            return name.isBlank();
        }
    }

    record Renamed(@JsonProperty("full_name") String name) {}

    record Hidden(String name, @JsonIgnore String password) {}

    interface Shape {
        @JsonProperty("kind")
        default String kind() {
            return "shape";
        }
    }

    record Circle(double radius) implements Shape {}

    interface Named {
        default String getName() {
            return "named";
        }
    }

    record Person(String first) implements Named {}

    private record PrivateRecord(String secret) {}

    static final class Pojo {
        public String getName() {
            return "pojo";
        }
    }

    /** A CharSequence: the mapper writes its isEmpty() as a property. */
    record Email(String value) implements CharSequence {
        @Override public int length() { return value.length(); }
        @Override public char charAt(int index) { return value.charAt(index); }
        @Override public CharSequence subSequence(int start, int end) { return value.subSequence(start, end); }
    }

    record Pair(String getKey, String getValue) implements Map.Entry<String, String> {
        @Override public String setValue(String value) { throw new UnsupportedOperationException(); }
    }

    /** Jackson's interface for a value that writes itself: the mapper calls it. */
    interface WritesItself extends com.fasterxml.jackson.databind.JsonSerializable {
        @Override
        default void serialize(com.fasterxml.jackson.core.JsonGenerator gen,
                com.fasterxml.jackson.databind.SerializerProvider serializers) throws java.io.IOException {
            gen.writeString("custom");
        }

        @Override
        default void serializeWithType(com.fasterxml.jackson.core.JsonGenerator gen,
                com.fasterxml.jackson.databind.SerializerProvider serializers,
                com.fasterxml.jackson.databind.jsontype.TypeSerializer typeSer) throws java.io.IOException {
            gen.writeString("custom");
        }
    }

    record Custom(String a) implements WritesItself {}

    enum CustomEnum implements WritesItself { A }

    record Comparing(int n) implements Comparable<Comparing>, java.io.Serializable {
        @Override public int compareTo(Comparing other) { return Integer.compare(n, other.n); }
    }

    /** A record whose component may hold anything: counted, to see its accessor called once per answer. */
    record Counting(String a, Object tail) {
        static final java.util.concurrent.atomic.AtomicInteger CALLS = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public String a() {
            CALLS.incrementAndGet();
            return a;
        }
    }

    record Throwing(String value) {
        @Override
        public String value() {
            throw new IllegalStateException("no value");
        }
    }

    @Test
    void writesTheSameBytesAsTheDefaultMapper() throws Exception {
        List<Object> values = new ArrayList<>(List.of(
                "", "plain", "quote \" backslash \\ slash / tab \t newline \n nul \u0000 bell \u0007 del \u007f",
                "ünïcödé 日本語 😀 \u2028 \u2029 </script>", "\ud800 lone surrogate",
                true, false, 0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
                (short) -7, (byte) 127, 0.1, -0.0, 1.0, 1e300, 1e-7, 123456789.125, Double.MAX_VALUE, Double.MIN_VALUE,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1f, 3.4e38f, Float.NaN,
                new BigDecimal("1.10"), new BigDecimal("1E+3"), new BigDecimal("-0.000000001"),
                new BigInteger("123456789012345678901234567890"),
                Instant.EPOCH, Instant.ofEpochSecond(1_765_000_000L), Instant.ofEpochSecond(1_765_000_000L, 1_000_000),
                Instant.ofEpochSecond(1_765_000_000L, 123_456_789), Instant.ofEpochSecond(1_765_000_000L, 100),
                Instant.ofEpochSecond(-1, 5), Instant.parse("+10000-01-01T00:00:00Z"), Instant.MIN, Instant.MAX,
                LocalDate.of(2026, 12, 6), LocalDate.of(0, 1, 1), LocalDate.of(-44, 3, 15), LocalDate.of(10000, 1, 1),
                Duration.ZERO, Duration.ofMinutes(30), Duration.ofMillis(-1500), Duration.ofNanos(1),
                Duration.ofDays(400).plusNanos(10), Duration.ofSeconds(-1, 1),
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), Secret.of("hunter2"),
                Colour.RED, Op.ADD, Op.SUB,
                Optional.empty(), Optional.of("x"), Optional.of(Optional.of(1)),
                List.of(), List.of(1, "two", 3.0), Arrays.asList(null, "a", null), new ArrayDeque<>(List.of(1, 2)),
                new LinkedHashSet<>(List.of("b", "a")), new TreeSet<>(List.of("b", "a")),
                new String[] {"a", null}, new Object[] {1, List.of(2), Map.of("k", "v")}, new Object[0],
                Map.of(), Map.of("message", "Hello, world!"), new TreeMap<>(Map.of("b", 1, "a", 2)),
                new ConcurrentHashMap<>(Map.of("k", List.of(1))),
                Arrays.asList(Optional.empty(), Optional.of("x")),
                new Point(1, -2), new Empty(), new Flags(true, false, "g"), new PrivateRecord("p"), new Comparing(3),
                List.of(new Point(1, 2), new Point(3, 4)), Map.of("at", new Point(0, 0))));
        var withNulls = new LinkedHashMap<String, Object>();
        withNulls.put("absent", null);
        withNulls.put("empty", Optional.empty());
        withNulls.put("present", Optional.of("here"));
        withNulls.put("list", Arrays.asList(null, Optional.empty()));
        withNulls.put("nested", new HashMap<>(Map.of("n", 1)));
        values.add(withNulls);
        values.add(new Note(UUID.randomUUID(), "text", Instant.now(), Optional.empty(), List.of("a"), Colour.GREEN,
                withNulls, new Point(5, 6), Duration.ofSeconds(90), LocalDate.now(), new BigDecimal("9.99"), true, 0.5,
                Secret.of("s3cret")));
        values.add(new Note(null, null, null, Optional.of("tag"), null, null, null, null, null, null, null, false,
                Double.NaN, null));
        var random = new Random(42);
        for (int i = 0; i < 200; i++) {
            values.add(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            values.add(random.nextFloat());
            values.add(random.nextLong());
            values.add(Instant.ofEpochSecond(random.nextLong(-10_000_000_000L, 100_000_000_000L), random.nextInt(1_000_000_000)));
            values.add(Duration.ofSeconds(random.nextLong(-1_000_000_000L, 1_000_000_000L), random.nextInt(1_000_000_000)));
            values.add(LocalDate.ofEpochDay(random.nextLong(-1_000_000, 1_000_000)));
            values.add(randomText(random));
        }
        values.add(null);

        for (Object value : values) {
            byte[] plain = PlainJson.write(value);
            assertThat(plain).as("written without the mapper: %s", describe(value)).isNotNull();
            assertThat(new String(plain, StandardCharsets.UTF_8)).as("the JSON of %s", describe(value))
                    .isEqualTo(new String(MAPPER.writeValueAsBytes(value), StandardCharsets.UTF_8));
        }
    }

    @Test
    void leavesToTheMapperWhatItIsNotSureOf() throws Exception {
        List<Object> values = List.of(
                new WithExtraGetter("abc"), new WithExtraIs(" "), new Renamed("Ada"), new Hidden("n", "p"),
                new Circle(1.5), new Person("Ada"), new Pojo(), new Throwing("v"),
                Labelled.SMALL, WithValue.ONE, WithGetter.A,
                Map.of(1, "one"), new EnumMap<>(Map.of(Colour.RED, 1)), new int[] {1, 2}, new byte[] {1, 2},
                'c', new StringBuilder("sb"), List.of(new Renamed("in a list")), Map.of("in", new Hidden("a", "b")),
                Optional.of(new Pojo()), java.net.URI.create("http://example.com/"), java.time.LocalDateTime.of(2026, 1, 1, 0, 0),
                new Email("ada@example.com"), new Pair("k", "v"), new Custom("a"), CustomEnum.A,
                Map.of("email", new Email("in a map")));
        for (Object value : values) {
            assertThat(PlainJson.write(value)).as("left to the mapper: %s", describe(value)).isNull();
        }
    }

    @Test
    void theCodecWritesWhatTheMapperWritesWhicheverWriterItTakes() throws Exception {
        var codec = new JsonCodec();
        for (Object value : List.of(new WithExtraGetter("abc"), new Renamed("Ada"), new Hidden("n", "p"), new Circle(1.5),
                new Person("Ada"), new Pojo(), Labelled.SMALL, WithValue.ONE, Map.of(1, "one"), new int[] {1, 2},
                new byte[] {1, 2}, new Point(3, 4), Map.of("message", "hi"), new Email("ada@example.com"),
                new Pair("k", "v"), new Custom("a"), CustomEnum.A)) {
            assertThat(new String(codec.write(value), StandardCharsets.UTF_8)).as("the JSON of %s", describe(value))
                    .isEqualTo(new String(MAPPER.writeValueAsBytes(value), StandardCharsets.UTF_8));
        }
        assertThat(new String(Json.writeBytes(new Renamed("Ada")), StandardCharsets.UTF_8)).isEqualTo("{\"full_name\":\"Ada\"}");
        assertThat(new String(Json.writeBytes(new Point(1, 2)), StandardCharsets.UTF_8)).isEqualTo("{\"x\":1,\"y\":2}");
    }

    @Test
    void aRecordGivenUpOnPartWayGoesStraightToTheMapperAfterwards() throws Exception {
        var codec = new JsonCodec();
        var value = new Counting("x", new Pojo());
        String expected = new String(MAPPER.writeValueAsBytes(value), StandardCharsets.UTF_8);
        Counting.CALLS.set(0);
        for (int i = 0; i < 3; i++) {
            assertThat(new String(codec.write(value), StandardCharsets.UTF_8)).isEqualTo(expected);
        }
        // Once by this writer, before it met the Pojo; then the mapper's, once per answer.
        assertThat(Counting.CALLS.get()).isEqualTo(4);
        assertThat(PlainJson.write(new Counting("y", "plain now"))).as("the record class goes to the mapper").isNull();
    }

    @Test
    void aMapperTheApplicationConfiguredWritesEveryAnswer() {
        var codec = new JsonCodec();
        codec.configure(mapper -> mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
        record Order(String orderId, int itemCount) {}
        assertThat(new String(codec.write(new Order("o-1", 2)), StandardCharsets.UTF_8))
                .isEqualTo("{\"order_id\":\"o-1\",\"item_count\":2}");
    }

    @Test
    void theMapperCannotBeConfiguredOnceAnAnswerWasWritten() {
        var codec = new JsonCodec();
        codec.write(Map.of("a", 1));
        org.assertj.core.api.Assertions.assertThatIllegalStateException()
                .isThrownBy(() -> codec.configure(mapper -> {}))
                .withMessageContaining("not after it was first used");
    }

    @Test
    void aValueNestedTooDeepIsTheMappersToRefuse() {
        List<Object> deep = new ArrayList<>();
        List<Object> inner = deep;
        for (int i = 0; i < 1_200; i++) {
            List<Object> next = new ArrayList<>();
            inner.add(next);
            inner = next;
        }
        assertThat(PlainJson.write(deep)).isNull();
    }

    private static String randomText(Random random) {
        var text = new StringBuilder();
        for (int i = random.nextInt(20); i > 0; i--) {
            text.appendCodePoint(random.nextInt(4) == 0 ? random.nextInt(0x20) : random.nextInt(0x10FFFF));
        }
        return text.toString();
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getName() + " " + (value.getClass().isArray() ? "[…]" : value);
    }
}
