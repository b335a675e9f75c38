package dev.skiff.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One JSON answer's bytes, as {@code ctx.json} makes them: a one-entry map (the benchmarks'
 * {@code /hello}) and a record of a note (the sample's kind of answer), each written by
 * {@link PlainJson} and by Skiff's default mapper, which writes the same bytes.
 *
 * <p>In the framework's internal package, as a test of it would be: the writer is not public API.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JsonAnswerBenchmark {

    /** A note as the sample answers one. */
    public record Note(UUID id, String text, List<String> tags, Instant created, Optional<Instant> due) {}

    private static final ObjectMapper MAPPER = Json.newMapper();
    private final Map<String, String> hello = Map.of("message", "Hello, world!");
    private final Note note = new Note(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
            "Buy milk, and the \"good\" bread", List.of("home", "errand"), Instant.parse("2026-12-06T10:15:30.123Z"),
            Optional.empty());

    @Benchmark
    public byte[] helloPlain() {
        return PlainJson.write(hello);
    }

    @Benchmark
    public byte[] helloMapper() throws JsonProcessingException {
        return MAPPER.writeValueAsBytes(hello);
    }

    @Benchmark
    public byte[] notePlain() {
        return PlainJson.write(note);
    }

    @Benchmark
    public byte[] noteMapper() throws JsonProcessingException {
        return MAPPER.writeValueAsBytes(note);
    }
}
