package dev.skiff.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
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

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres postgres;
    private long frozenPid = -1;

    private TestDatabase(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /** Starts a fresh server with the application's user and database. */
    public static TestDatabase start() throws IOException, SQLException {
        var database = new TestDatabase(Files.createTempDirectory("skiff-pg"), freePort());
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
        postgres = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false).setServerConfig("hba_file", hba.toString()).start();
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

    /** Starts the server again on the same port and data directory. */
    public void restart() throws IOException {
        startServer();
    }

    /** Freezes the postmaster and its backends with SIGSTOP: connections hang rather than fail. */
    public void freeze() throws IOException, InterruptedException {
        frozenPid = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).getFirst().strip());
        signalGroup("STOP");
    }

    /** Thaws what {@link #freeze()} froze. */
    public void thaw() throws IOException, InterruptedException {
        signalGroup("CONT");
        frozenPid = -1;
    }

    private void signalGroup(String signal) throws IOException, InterruptedException {
        // The postmaster and every backend it forked, so established connections hang too.
        var pids = new StringBuilder(Long.toString(frozenPid));
        ProcessHandle.of(frozenPid).ifPresent(p -> p.descendants().forEach(child -> pids.append(' ').append(child.pid())));
        Process kill = new ProcessBuilder("sh", "-c", "kill -" + signal + " " + pids).inheritIO().start();
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
            postgres.close();
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
