package dev.skiff.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A program that logs through Skiff's logging without Skiff's launcher, and whose {@code main}
 * returns right after its last line: no shutdown of Skiff's flushes it.
 */
public final class LastLineApp {

    private LastLineApp() {}

    public static void main(String[] args) throws InterruptedException {
        Logger log = LoggerFactory.getLogger("last-line");
        log.info("first");
        Thread.sleep(50); // stdout's writer has written the first line and waits for the next
        log.info("LAST");
    }
}
