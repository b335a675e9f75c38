package dev.skiff.logging.internal;

import java.io.Console;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tells whether stdout is a terminal, cheaply, on JDK 21 and on newer JDKs alike. */
final class Terminal {

    private static final Path STDOUT = Path.of("/proc/self/fd/1");

    private Terminal() {}

    /** {@return true when a person is likely reading stdout directly} */
    public static boolean isInteractive() {
        // On Linux, stdout's link names a terminal device or not; no console needs loading (from
        // JDK 22, System.console() may start a line editor, which costs a startup a tenth of a second).
        if (Files.exists(STDOUT, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try {
                String target = Files.readSymbolicLink(STDOUT).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                // fall through to the console
            }
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            var isTerminal = MethodHandles.publicLookup()
                    .findVirtual(Console.class, "isTerminal", MethodType.methodType(boolean.class));
            return (boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return true;
        } catch (Throwable e) {
            return false;
        }
    }
}
