/**
 * The launcher and what an application sets up: {@link dev.skiff.Skiff} runs a service from
 * {@code main} (or starts one in a test); {@link dev.skiff.App} is what setup receives, with its two
 * roles {@link dev.skiff.Routes} and {@link dev.skiff.Components}, and {@link dev.skiff.Command}s.
 *
 * <p>The package-private rest is the launcher: {@code Startup} (configuration, logging and the
 * application set up, every problem in one report), {@code Invocation} (the command line, parsed
 * once), {@code Launch} (runs it to an exit status; {@code OneOffCommand} runs a command) and
 * {@code Ending} (how a running service stops).
 */
package dev.skiff;
