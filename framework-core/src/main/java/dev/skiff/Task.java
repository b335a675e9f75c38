package dev.skiff;

/**
 * Work a process runs every interval: {@link Components#every}. Throwing fails this run only; the
 * next one runs on time.
 *
 * {@snippet :
 * app.every("purge", Duration.ofMinutes(1), () -> notes.purgeExpired(Instant.now()));
 * }
 */
@FunctionalInterface
public interface Task {

    /**
     * Runs once; an interrupt asks it to stop early, at shutdown.
     *
     * @throws Exception when this run failed: logged and counted, never fatal
     */
    void run() throws Exception;
}
