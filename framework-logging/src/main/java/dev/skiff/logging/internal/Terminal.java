package dev.skiff.logging.internal;

import java.io.Console;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/** Tells whether stdout is a terminal, on JDK 21 and on newer JDKs alike. */
public final class Terminal {

    private Terminal() {}

    /** {@return true when a person is likely reading stdout directly} */
    public static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // From JDK 22 System.console() is present even when redirected; isTerminal() tells.
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
