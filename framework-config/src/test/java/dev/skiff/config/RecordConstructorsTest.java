package dev.skiff.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.config.elsewhere.Elsewhere;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a bound record is made: without reflection where it can be, with the same results either way. */
class RecordConstructorsTest {

    /** Seventeen components: past what is made without reflection. */
    record Wide(int a, int b, int c, int d, int e, int f, int g, int h, int i, int j, int k, int l, int m, int n,
                int o, int p, int q) {

        Wide {
            if (q > 100) {
                throw new IllegalArgumentException("q must be at most 100, was " + q);
            }
        }
    }

    /** Its class cannot be initialised: as a static field whose value is bad text would make it. */
    record Broken(int port, String host) {
        static final int DEFAULT_PORT = Integer.parseInt(System.getProperty("no.such.property", "eighty"));
    }

    @TempDir
    Path dir;

    @Test
    void aPackagePrivateRecordOfAnotherPackageIsMadeWithoutReflection() {
        Class<? extends Record> type = Elsewhere.limits();
        Record limits = Configuration.load(Map.of("BOUNDS_MAX_ITEMS", "7", "BOUNDS_MAX_BYTES", "9000000000",
                "BOUNDS_STRICT", "true", "BOUNDS_TIMEOUT", "2s", "BOUNDS_NAME", "shop"), Map.of(), dir)
                .bind("bounds", type);

        assertThat(limits).hasToString("Limits[maxItems=7, maxBytes=9000000000, strict=true, timeout=PT2S, name=shop]");
        assertThat(RecordConstructors.madeDirectly(type)).isTrue();
    }

    @Test
    void aRecordsOwnCheckIsAProblemOfItsBlock() {
        assertThatThrownBy(() -> Configuration.load(Map.of("BOUNDS_MAX_ITEMS", "700", "BOUNDS_MAX_BYTES", "1",
                "BOUNDS_STRICT", "true", "BOUNDS_TIMEOUT", "2s", "BOUNDS_NAME", "shop"), Map.of(), dir)
                .bind("bounds", Elsewhere.limits()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("max-items must be at most 100, was 700");
    }

    @Test
    void aRecordOfMoreComponentsIsMadeByReflectionWithTheSameResults() {
        Map<String, String> env = new java.util.HashMap<>();
        for (char c = 'a'; c <= 'q'; c++) {
            env.put("WIDE_" + Character.toUpperCase(c), String.valueOf(c - 'a'));
        }
        Wide wide = Configuration.load(env, Map.of(), dir).bind("wide", Wide.class);
        assertThat(wide.a()).isZero();
        assertThat(wide.q()).isEqualTo(16);
        assertThat(RecordConstructors.madeDirectly(Wide.class)).isFalse();

        env.put("WIDE_Q", "170");
        assertThatThrownBy(() -> Configuration.load(env, Map.of(), dir).bind("wide", Wide.class))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("q must be at most 100, was 170");
    }

    @Test
    void aRecordWithNoComponentsIsMade() {
        record Empty() {}
        assertThat(Configuration.load(Map.of(), Map.of(), dir).bind("empty", Empty.class)).isEqualTo(new Empty());
        assertThat(RecordConstructors.madeDirectly(Empty.class)).isTrue();
    }

    @Test
    void aRecordOfAnotherClassLoaderIsMadeByReflection() throws Exception {
        // A loader that defines the record itself (a plugin's, a development restart's): its classes
        // are of another module, which cannot grant Skiff's code the access a function needs.
        String name = Elsewhere.limits().getName();
        byte[] bytes;
        try (var in = Elsewhere.class.getResourceAsStream("/" + name.replace('.', '/') + ".class")) {
            bytes = in.readAllBytes();
        }
        var loader = new ClassLoader(getClass().getClassLoader()) {
            @Override
            protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
                return className.equals(name) ? defineClass(className, bytes, 0, bytes.length)
                        : super.loadClass(className, resolve);
            }
        };
        @SuppressWarnings("unchecked")
        Class<? extends Record> type = (Class<? extends Record>) loader.loadClass(name);

        Record bounds = Configuration.load(Map.of("BOUNDS_MAX_ITEMS", "7", "BOUNDS_MAX_BYTES", "1",
                "BOUNDS_STRICT", "false", "BOUNDS_TIMEOUT", "1s", "BOUNDS_NAME", "plugin"), Map.of(), dir)
                .bind("bounds", type);

        assertThat(bounds.getClass()).isSameAs(type).isNotSameAs(Elsewhere.limits());
        assertThat(bounds).hasToString("Limits[maxItems=7, maxBytes=1, strict=false, timeout=PT1S, name=plugin]");
        assertThat(RecordConstructors.madeDirectly(type)).isFalse();
    }

    @Test
    void aRecordWhoseClassCannotBeInitialisedFailsAsReflectionWouldHaveIt() {
        var configuration = Configuration.load(Map.of("BROKEN_PORT", "80", "BROKEN_HOST", "example.com"), Map.of(), dir);
        assertThatThrownBy(() -> configuration.bind("broken", Broken.class))
                .isInstanceOf(ExceptionInInitializerError.class)
                .cause().isInstanceOf(NumberFormatException.class);
    }

    /** A record whose constructor is registered, counting the records it made. */
    record Counted(int size, String label) {
        static final java.util.concurrent.atomic.AtomicInteger MADE_BY_REFERENCE = new java.util.concurrent.atomic.AtomicInteger();

        static Counted counted(int size, String label) {
            MADE_BY_REFERENCE.incrementAndGet();
            return new Counted(size, label);
        }

        Counted {
            if (size < 0) {
                throw new IllegalArgumentException("size must not be negative, was " + size);
            }
        }
    }

    @Test
    void aRegisteredConstructorMakesTheRecordAndItsChecksAreProblemsAsBefore() {
        dev.skiff.config.internal.Constructors.register(Counted.class, Counted::counted);
        int before = Counted.MADE_BY_REFERENCE.get();

        Counted counted = Configuration.load(Map.of("COUNTED_SIZE", "3", "COUNTED_LABEL", "x"), Map.of(), dir)
                .bind("counted", Counted.class);

        assertThat(counted).isEqualTo(new Counted(3, "x"));
        assertThat(Counted.MADE_BY_REFERENCE).hasValue(before + 1);
        assertThatThrownBy(() -> dev.skiff.config.internal.Constructors.register(Counted.class, Counted::new))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("RecordConstructorsTest$Counted's constructor is registered already");
        assertThatThrownBy(() -> Configuration.load(Map.of("COUNTED_SIZE", "-1", "COUNTED_LABEL", "x"), Map.of(), dir)
                .bind("counted", Counted.class))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("size must not be negative, was -1");
    }

    @Test
    void aConstructorOfAnotherArityIsRefusedAtRegistration() {
        record Pair(int a, int b) {
            static Pair one(int a) {
                return new Pair(a, a);
            }
        }
        assertThatThrownBy(() -> dev.skiff.config.internal.Constructors.register(Pair.class, Pair::one))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 2 components: a constructor of 1 parameters cannot be its canonical one");
    }
}
