package dev.skiff.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Skiff service running as a child JVM, for tests that need a real process and real signals.
 *
 * <p>Stdout and stderr are collected line by line. Close it to end the process: a test that
 * starts one never leaves it running. (A little over 300 lines: the process, its output and its
 * events are one type, so a test learns one.)
 *
 * {@snippet :
 * try (var app = AppProcess.startJar(Path.of("target/notes.jar"), Map.of("PORT", "0"))) {
 *     URI base = app.awaitListening(Duration.ofSeconds(30));
 *     app.signal(AppProcess.Signal.TERM);
 *     int exitCode = app.awaitExit(Duration.ofSeconds(30));
 * }
 * }
 */
public final class AppProcess implements AutoCloseable {

    /** The signals a test can send. */
    public enum Signal {
        /** What platforms send to stop a service. */
        TERM,
        /** What Ctrl-C sends, and Fly.io by default. */
        INT,
        /** Asks the JVM for a thread dump, which it prints and goes on. */
        QUIT
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    /**
     * What the JVM itself prints — the thread dump on SIGQUIT — goes to stderr, as in the sample's
     * Dockerfile and Procfile: stdout holds only JSON events.
     */
    private static final String VM_OUTPUT_TO_STDERR = "-XX:+DisplayVMOutputToStderr";

    /**
     * Starts the JVM with SIGINT and SIGHUP at their default dispositions. A build run from a
     * background job or under {@code nohup} has them ignored, and a child inherits that: its JVM
     * would then never install its SIGINT handler, and Ctrl-C would do nothing. {@code env
     * --default-signal} (coreutils 8.31 and later) restores them; without it the child inherits.
     */
    private static final List<String> JAVA_PREFIX = defaultSignalsPrefix();

    private AppProcess(Process process) {
        this.process = process;
        this.stdoutReader = reader(process.getInputStream(), stdout, "stdout");
        this.stderrReader = reader(process.getErrorStream(), stderr, "stderr");
    }

    /**
     * Starts {@code java -jar jar} with the same Java as the test, and the given extra environment.
     *
     * @param jar the runnable jar
     * @param env variables added to this process's environment, such as {@code PORT=0}
     * @param args the service's arguments
     * @return the running process
     */
    public static AppProcess startJar(Path jar, Map<String, String> env, String... args) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no jar at " + jar.toAbsolutePath()
                    + ": build it first (mvn package) or point to the right file");
        }
        var command = new ArrayList<String>(JAVA_PREFIX);
        command.add(javaExecutable());
        command.add(VM_OUTPUT_TO_STDERR);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        return start(command, env);
    }

    /**
     * Starts {@code java -jar jar} in {@code directory} with only the given environment (and
     * {@code PATH}, {@code HOME}, {@code LANG}): as a container build runs it, with nothing of the
     * developer's shell or {@code .env}.
     */
    static AppProcess startJarIsolated(Path jar, Map<String, String> env, Path directory, List<String> jvmOptions,
            String... args) {
        var command = new ArrayList<String>(JAVA_PREFIX);
        command.add(javaExecutable());
        command.add(VM_OUTPUT_TO_STDERR);
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().keySet().retainAll(List.of("PATH", "HOME", "LANG"));
        builder.environment().putAll(env);
        try {
            return new AppProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /**
     * Starts a main class with the same Java and classpath as the test, and the given extra
     * environment; for services under test in the same build.
     *
     * @param mainClass the class whose {@code main} calls {@code Skiff.run}
     * @param env variables added to this process's environment, such as {@code PORT=0}
     * @param args the service's arguments
     * @return the running process
     */
    public static AppProcess startClass(Class<?> mainClass, Map<String, String> env, String... args) {
        var command = new ArrayList<String>(JAVA_PREFIX);
        command.add(javaExecutable());
        command.add(VM_OUTPUT_TO_STDERR);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return start(command, env);
    }

    private static AppProcess start(List<String> command, Map<String, String> env) {
        var builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        try {
            return new AppProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** {@return the process id} */
    public long pid() {
        return process.pid();
    }

    /**
     * Waits for the "listening" log event and returns the base URI it names, on loopback.
     *
     * @param timeout how long to wait
     * @return such as {@code http://127.0.0.1:41234}
     */
    public URI awaitListening(Duration timeout) {
        LogEvent event = awaitEvent(e -> e.field("port").isPresent() && e.message().startsWith("listening on"), timeout);
        return URI.create("http://127.0.0.1:" + event.field("port").orElseThrow());
    }

    /**
     * Waits for a log event on stdout (or, from a one-off command, stderr) that matches, such as
     * {@code e -> e.message().startsWith("started in")}.
     *
     * @param matcher what the event must satisfy
     * @param timeout how long to wait
     * @return the first matching event
     * @throws AssertionError when none came in time, with what was printed
     */
    public LogEvent awaitEvent(Predicate<LogEvent> matcher, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        int seenOnStderr = 0;
        while (true) {
            List<String> lines = stdoutLines();
            for (; seen < lines.size(); seen++) {
                Optional<LogEvent> event = parse(lines.get(seen));
                if (event.isPresent() && matcher.test(event.get())) {
                    return event.get();
                }
            }
            // A one-off command logs on stderr.
            List<String> errors = stderrLines();
            for (; seenOnStderr < errors.size(); seenOnStderr++) {
                Optional<LogEvent> event = parse(errors.get(seenOnStderr));
                if (event.isPresent() && matcher.test(event.get())) {
                    return event.get();
                }
            }
            if (!process.isAlive() && !stdoutReader.isAlive()) {
                throw new AssertionError("the process ended (exit code " + process.exitValue()
                        + ") before the expected log event\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching log event within " + timeout.toMillis() + " ms\n" + output());
            }
            sleep();
        }
    }

    /**
     * Sends a signal to the process.
     *
     * @param signal the signal
     */
    public void signal(Signal signal) {
        switch (signal) {
            // Process.destroy() would also close our ends of its stdout and stderr, losing the
            // lines it writes while shutting down; the handle only sends the signal.
            case TERM -> process.toHandle().destroy();
            case INT -> kill("-INT");
            case QUIT -> kill("-QUIT");
        }
    }

    private void kill(String signal) {
        try {
            int code = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
            if (code != 0) {
                throw new IllegalStateException("kill " + signal + " " + process.pid() + " exited with " + code);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending " + signal, e);
        }
    }

    /**
     * Waits for the process to end and for its output to be read in full.
     *
     * @param timeout how long to wait
     * @return the exit code
     * @throws AssertionError when it did not end in time
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the process did not exit within " + timeout.toMillis() + " ms\n" + output());
            }
            stdoutReader.join(timeout.toMillis());
            stderrReader.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the process", e);
        }
        return process.exitValue();
    }

    /** {@return the stdout lines printed so far} */
    public List<String> stdoutLines() {
        synchronized (stdout) {
            return List.copyOf(stdout);
        }
    }

    /** {@return the stderr lines printed so far} */
    public List<String> stderrLines() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    /**
     * Returns the stdout lines as log events, the same shape {@link SkiffExtension#logs()} gives:
     * the JSON fields besides time, level, logger, message and error type are the event's fields,
     * with JSON numbers as {@code Integer}, {@code Long} or {@code Double}.
     *
     * @return one event per line; a line that is not a JSON object fails
     */
    public List<LogEvent> events() {
        return stdoutLines().stream().map(line -> parse(line)
                .orElseThrow(() -> new AssertionError("not a JSON object on stdout: " + line))).toList();
    }

    /**
     * Returns a one-off command's log events: a command ({@code migrate}, {@code check}, one of
     * the application's) prints its result on stdout and logs on stderr, one JSON object per line.
     *
     * @return one event per stderr line that is a JSON object; other lines (the JVM's own) are left out
     */
    public List<LogEvent> stderrEvents() {
        return stderrLines().stream().map(AppProcess::parse).flatMap(Optional::stream).toList();
    }

    /** Ends the process if it still runs, forcibly after a short grace. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String output() {
        return "--- stdout ---\n" + String.join("\n", stdoutLines())
                + "\n--- stderr ---\n" + String.join("\n", stderrLines());
    }

    private static Optional<LogEvent> parse(String line) {
        if (!line.startsWith("{")) {
            return Optional.empty();
        }
        Map<String, Object> fields;
        try {
            fields = JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (IOException e) {
            return Optional.empty();
        }
        if (fields == null) {
            return Optional.empty();
        }
        Instant time = instant(fields.remove("@timestamp"));
        String level = String.valueOf(fields.remove("log.level"));
        String logger = String.valueOf(fields.remove("log.logger"));
        String message = String.valueOf(fields.remove("message"));
        Optional<String> errorType = Optional.ofNullable(fields.remove("error.type")).map(String::valueOf);
        fields.values().removeIf(Objects::isNull);
        return Optional.of(new LogEvent(time, level, logger, message, Map.copyOf(fields), errorType));
    }

    private static Instant instant(Object text) {
        try {
            return text == null ? Instant.EPOCH : Instant.parse(text.toString());
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static Thread reader(InputStream in, List<String> sink, String name) {
        return Thread.ofPlatform().daemon(true).name("app-process-" + name).start(() -> {
            try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (sink) {
                        sink.add(line);
                    }
                }
            } catch (IOException e) {
                // The process ended; what was read is kept.
            }
        });
    }

    private static List<String> defaultSignalsPrefix() {
        try {
            Process probe = new ProcessBuilder("env", "--default-signal=INT,HUP", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                return List.of("env", "--default-signal=INT,HUP");
            }
            probe.destroyForcibly();
        } catch (IOException e) {
            // No env that can: the child inherits this process's dispositions.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.of();
    }

    private static String javaExecutable() {
        Optional<String> current = ProcessHandle.current().info().command();
        return Objects.requireNonNull(current.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
