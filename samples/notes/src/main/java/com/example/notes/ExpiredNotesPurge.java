package com.example.notes;

import dev.skiff.Task;
import java.sql.SQLException;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// snippet:task
/**
 * Deletes the notes whose expiry has passed: a {@link Task} that {@code app.every} runs on a
 * schedule, in the service and in the worker. A run that fails (the database away) is logged and
 * counted by Skiff, and the next one runs on time.
 */
public final class ExpiredNotesPurge implements Task {

    private static final Logger log = LoggerFactory.getLogger(ExpiredNotesPurge.class);

    private final NoteStore notes;

    /**
     * Creates the job.
     *
     * @param notes where the notes are
     */
    public ExpiredNotesPurge(NoteStore notes) {
        this.notes = notes;
    }

    @Override
    public void run() throws SQLException {
        int deleted = notes.purgeExpired(Instant.now());
        if (deleted > 0) {
            log.atInfo().setMessage("purged {} expired notes").addArgument(deleted)
                    .addKeyValue("notes_purged", deleted).log();
        }
    }
}
// end:task
