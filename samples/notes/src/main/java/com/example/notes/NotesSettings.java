package com.example.notes;

// snippet:settings
/**
 * The notes service's own settings, bound from the {@code notes} block of application.conf and
 * from {@code NOTES_*} environment variables.
 *
 * @param greeting the word /hello greets with ({@code NOTES_GREETING})
 */
public record NotesSettings(String greeting) {

    /** Rejects a blank greeting, as a configuration problem at startup. */
    public NotesSettings {
        if (greeting.isBlank()) {
            throw new IllegalArgumentException("greeting must not be blank");
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
