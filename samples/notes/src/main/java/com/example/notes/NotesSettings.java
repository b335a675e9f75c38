package com.example.notes;

import dev.skiff.config.Secret;
import java.time.Duration;
import java.util.Optional;

// snippet:settings
/**
 * The notes service's own settings, bound from the {@code notes} block of application.conf and
 * from {@code NOTES_*} environment variables.
 *
 * @param greeting the word /hello greets with ({@code NOTES_GREETING})
 * @param purgeEvery how often expired notes are deleted ({@code NOTES_PURGE_EVERY})
 * @param apiToken the token write requests must send ({@code NOTES_API_TOKEN}); without it,
 *     writes are refused
 */
public record NotesSettings(String greeting, Duration purgeEvery, Optional<Secret> apiToken) {

    /** Rejects a blank greeting, a purge period under a second or a short token, as configuration problems. */
    public NotesSettings {
        if (greeting.isBlank()) {
            throw new IllegalArgumentException("greeting must not be blank");
        }
        if (purgeEvery.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("purge-every must be 1s or more, got " + purgeEvery);
        }
        if (apiToken.isPresent() && apiToken.get().reveal().length() < 8) {
            throw new IllegalArgumentException("api-token must be at least 8 characters long");
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
