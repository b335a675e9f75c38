package com.example.notes;

import java.time.Duration;

// snippet:settings
/**
 * The notes service's own settings, bound from the {@code notes} block of application.conf and
 * from {@code NOTES_*} environment variables.
 *
 * @param greeting the word /hello greets with ({@code NOTES_GREETING})
 * @param reportEvery how often the greeting report is logged ({@code NOTES_REPORT_EVERY})
 */
public record NotesSettings(String greeting, Duration reportEvery) {

    /** Rejects a blank greeting or a report period under a second, as a configuration problem. */
    public NotesSettings {
        if (greeting.isBlank()) {
            throw new IllegalArgumentException("greeting must not be blank");
        }
        if (reportEvery.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("report-every must be 1s or more, got " + reportEvery);
        }
    }

    /**
     * Greets someone.
     *
     * @param name who to greet
     * @return such as {@code Hello, Ada!}
     */
    public String greet(String name) {
        return greeting + ", " + name + "!";
    }
}
// end:settings
