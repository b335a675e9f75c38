package com.example.notes;

import dev.skiff.config.Secret;
import java.time.Duration;

// snippet:settings
/**
 * The notes service's own settings, bound from the {@code notes} block of application.conf and
 * from {@code NOTES_*} environment variables.
 *
 * @param greeting the word /hello greets with ({@code NOTES_GREETING})
 * @param purgeEvery how often expired notes are deleted ({@code NOTES_PURGE_EVERY})
 * @param apiToken the token write requests must send ({@code NOTES_API_TOKEN}): required by
 *     {@code serve}, which checks it on every write; {@code worker} and {@code migrate} never read
 *     it, so they start without it
 */
public record NotesSettings(String greeting, Duration purgeEvery, Secret apiToken) {

    /** Rejects a blank greeting or a purge period under a second, as configuration problems. */
    public NotesSettings {
        if (greeting.isBlank()) {
            throw new IllegalArgumentException("greeting must not be blank");
        }
        if (purgeEvery.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("purge-every must be 1s or more, got " + purgeEvery);
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
