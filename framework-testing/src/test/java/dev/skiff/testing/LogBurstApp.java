package dev.skiff.testing;

import dev.skiff.Skiff;
import dev.skiff.lifecycle.HealthState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A service that logs 20,000 sequence-numbered lines from 4 threads, to be stopped mid-burst. */
public final class LogBurstApp {

    static final int THREADS = 4;
    static final int LINES_PER_THREAD = 5_000;

    private LogBurstApp() {}

    public static void main(String[] args) {
        Logger log = LoggerFactory.getLogger("burst");
        // The burst begins once the service is ready, so that SIGTERM lands in the middle of it.
        Skiff.run(args, app -> app.onStateChange(state -> {
            if (state != HealthState.READY) {
                return;
            }
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Thread.ofPlatform().name("burst-" + t).daemon(true).start(() -> {
                    for (int seq = 0; seq < LINES_PER_THREAD; seq++) {
                        log.atInfo().setMessage("line {} of burst-{}").addArgument(seq).addArgument(thread)
                                .addKeyValue("burst", thread).addKeyValue("seq", seq).log();
                        if (seq % 100 == 99) {
                            pause();
                        }
                    }
                });
            }
        }));
    }

    private static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
