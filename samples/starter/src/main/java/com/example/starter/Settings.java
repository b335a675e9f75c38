package com.example.starter;

import dev.skiff.config.Secret;

/**
 * The service's own settings: its block of application.conf, each key also set by
 * its variable ({@code greeting} by {@code STARTER_GREETING}).
 *
 * @param greeting the word /hello greets with ({@code STARTER_GREETING})
 * @param apiToken the token /hello asks for ({@code STARTER_API_TOKEN}): the service refuses to
 *     start without it
 */
public record Settings(String greeting, Secret apiToken) {

    /** A blank greeting is a configuration problem, reported with the others at startup. */
    public Settings {
        if (greeting.isBlank()) {
            throw new IllegalArgumentException("greeting must not be blank");
        }
    }
}
