package dev.skiff.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL for tests, run from Maven Central binaries, with an application user and
 * database: stopped and started again on the same port and data directory, or frozen with
 * SIGSTOP, to play an outage.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String USER = "app";
    public static final String PASSWORD = "pw-7f3a9b2c-canary";
    public static final String DATABASE = "notes";

    /** How the server is told to stop, as {@code pg_ctl stop -m} would. */
    public enum Shutdown {
        /** SIGTERM: refuse new connections (57P03) and wait for the open sessions to end. */
        SMART("TERM"),
        /** SIGINT: end every session (57P01) and stop. */
        FAST("INT"),
        /** SIGQUIT: stop at once, without a checkpoint; the next start recovers. */
        IMMEDIATE("QUIT");

        final String signal;

        Shutdown(String signal) {
            this.signal = signal;
        }
    }

    private final Path dataDirectory;
    private final int port;
    private final Map<String, String> serverConfig;
    private EmbeddedPostgres postgres;
    private long frozenPid = -1;

    private TestDatabase(Path dataDirectory, int port, Map<String, String> serverConfig) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.serverConfig = Map.copyOf(serverConfig);
    }

    /** Starts a fresh server with the application's user and database. */
    public static TestDatabase start() throws IOException, SQLException {
        return start(Map.of());
    }

    /**
     * Starts a fresh server with settings of its own, such as {@code max_connections}.
     *
     * @param serverConfig postgresql.conf settings
     */
    public static TestDatabase start(Map<String, String> serverConfig) throws IOException, SQLException {
        var database = new TestDatabase(Files.createTempDirectory("skiff-pg"), freePort(), serverConfig);
        database.startServer();
        try (Connection admin = database.postgres.getPostgresDatabase().getConnection();
             var statement = admin.createStatement()) {
            statement.execute("CREATE USER " + USER + " WITH PASSWORD '" + PASSWORD + "'");
            statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
        }
        return database;
    }

    private void startServer() throws IOException {
        // Passwords are checked for the application's user (initdb's default trusts everyone);
        // the superuser the harness connects as stays trusted.
        Path hba = dataDirectory.resolveSibling(dataDirectory.getFileName() + "-hba.conf");
        Files.writeString(hba, """
                local all all trust
                host all postgres 127.0.0.1/32 trust
                host all postgres ::1/128 trust
                host all all 127.0.0.1/32 scram-sha-256
                host all all ::1/128 scram-sha-256
                """);
        var builder = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false).setServerConfig("hba_file", hba.toString());
        serverConfig.forEach(builder::setServerConfig);
        postgres = builder.start();
    }

    /** {@return the URL as a platform would set DATABASE_URL} */
    public String url() {
        return "postgres://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    /** {@return a port on loopback that nothing listens on, for an unreachable server} */
    public static int closedPort() throws IOException {
        return freePort();
    }

    /** {@return this database's URL with another port, such as {@link #closedPort()}} */
    public String urlOnPort(int otherPort) {
        return url().replace(":" + port + "/", ":" + otherPort + "/");
    }

    /** Stops the server; connections to its port are refused until {@link #restart()}. */
    public void stop() throws IOException {
        postgres.close();
    }

    /**
     * Signals the server to stop; for {@link Shutdown#FAST} and {@link Shutdown#IMMEDIATE}, returns
     * once it has. {@link Shutdown#SMART} returns at once: the server refuses new connections until
     * the last open session ends, then stops.
     */
    public void stop(Shutdown mode) throws IOException, InterruptedException {
        if (mode == Shutdown.FAST) {
            postgres.close(); // pg_ctl stop -m fast
            return;
        }
        long pid = postmasterPid();
        Process kill = new ProcessBuilder("kill", "-" + mode.signal, Long.toString(pid)).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + mode.signal + " " + pid + " failed");
        }
        if (mode != Shutdown.SMART) {
            awaitExit(pid);
        }
    }

    /** Waits until the server has stopped, such as after a smart shutdown's last session ended. */
    public void awaitStopped() throws IOException, InterruptedException {
        if (Files.exists(dataDirectory.resolve("postmaster.pid"))) {
            awaitExit(postmasterPid());
        }
    }

    private static void awaitExit(long pid) throws IOException, InterruptedException {
        var process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            try {
                process.get().onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException("the server (pid " + pid + ") did not stop within 30 s", e);
            }
        }
    }

    private boolean running() throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        return Files.exists(pidFile) && ProcessHandle.of(postmasterPid()).map(ProcessHandle::isAlive).orElse(false);
    }

    private long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).getFirst().strip());
    }

    /** {@return a new session as the superuser, which the application's user cannot crowd out} */
    public Connection admin() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    /** Starts the server again on the same port and data directory. */
    public void restart() throws IOException {
        releaseStopped();
        startServer();
    }

    /**
     * Lets go of a server that was stopped by a signal: the harness still holds its lock on the
     * data directory, and closing it tries pg_ctl stop, which fails and says so at ERROR.
     */
    private void releaseStopped() throws IOException {
        var harness = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(EmbeddedPostgres.class);
        ch.qos.logback.classic.Level level = harness.getLevel();
        harness.setLevel(ch.qos.logback.classic.Level.OFF);
        try {
            postgres.close(); // a no-op when it was closed already
        } finally {
            harness.setLevel(level);
        }
    }

    /** Freezes the postmaster and its backends with SIGSTOP: connections hang rather than fail. */
    public void freeze() throws IOException, InterruptedException {
        frozenPid = postmasterPid();
        signalGroup("STOP");
    }

    /** Thaws what {@link #freeze()} froze. */
    public void thaw() throws IOException, InterruptedException {
        if (frozenPid <= 0) {
            return; // nothing frozen: never signal pid -1, which is every process
        }
        signalGroup("CONT");
        frozenPid = -1;
    }

    private void signalGroup(String signal) throws IOException, InterruptedException {
        // The postmaster first: stopped, it forks no new backend, so the backends listed after it
        // are all there are (a backend forked while the list was made would keep serving). Then
        // every backend, so established connections hang too; one may end before its signal.
        signal(signal, Long.toString(frozenPid), true);
        var backends = new StringBuilder();
        ProcessHandle.of(frozenPid).ifPresent(p -> p.descendants().forEach(child -> backends.append(' ').append(child.pid())));
        if (!backends.isEmpty()) {
            signal(signal, backends.toString(), false);
        }
    }

    private static void signal(String signal, String pids, boolean mustExist) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + pids + (mustExist ? "" : " 2>/dev/null; true"))
                .inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + pids + " failed");
        }
    }

    @Override
    public void close() throws Exception {
        if (frozenPid > 0) {
            thaw();
        }
        try {
            if (running()) {
                postgres.close();
            }
        } finally {
            try (var files = Files.walk(dataDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            Files.deleteIfExists(dataDirectory.resolveSibling(dataDirectory.getFileName() + "-hba.conf"));
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
