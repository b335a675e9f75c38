package dev.skiff;

import dev.skiff.config.Configuration;
import dev.skiff.http.ServiceClient;
import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.HealthCheck;
import dev.skiff.lifecycle.HealthState;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * What a process runs besides HTTP routes: its modules, components, health checks and the
 * backing services it uses, with its configuration at hand. The service ({@link App}) and every process
 * type (such as a queue worker, see {@link App#process}) add theirs here.
 *
 * <p>Each registration is a statement of its own, about the process: a check or a state listener
 * added after a component belongs to the process, not to that component.
 *
 * {@snippet :
 * app.process("worker", "purge expired notes", worker -> {
 *     worker.component(schema);
 *     worker.every("purge", Duration.ofMinutes(1), purge);
 * });
 * }
 */
public sealed interface Components permits App, Registry {

    /** {@return the loaded configuration, frozen, to bind the process's own settings} */
    Configuration configuration();

    /**
     * Returns the metrics registry behind {@code /metrics}, for the process's own counters,
     * timers and gauges.
     *
     * @return the registry
     */
    MeterRegistry metrics();

    /**
     * Returns the pooled database behind {@code DATABASE_URL}. It can be held from setup on and
     * hands out connections once the process has started (or while a command runs). When the
     * database is unreachable, a request that needs a connection fails with 503 after
     * {@code database.connection-timeout}. A process that asks for it without {@code DATABASE_URL}
     * set does not start: it exits 78 with the configuration report, naming {@code DATABASE_URL};
     * {@code --help} and {@code config} still answer.
     *
     * @return the data source
     */
    DataSource database();

    /**
     * Returns the client of a backing service reached over HTTP, configured from the keys of its
     * name: {@code app.http("payments")} reads {@code PAYMENTS_URL} (required),
     * {@code PAYMENTS_CONNECT_TIMEOUT} (2s), {@code PAYMENTS_REQUEST_TIMEOUT} (10s) and
     * {@code PAYMENTS_RETRIES} (2). A missing or bad value is in the one configuration report, and
     * the process does not start. Asking twice for a name returns the same client; it is closed
     * when the process stops.
     *
     * @param name the service's name: lower case letters, digits and dashes, such as {@code payments}
     * @return the client
     */
    ServiceClient http(String name);

    /**
     * Adds a module: its configuration, components, checks, backing services and meters join this
     * process now. Its components start before those this process adds itself, in the order
     * modules were added, and stop after them.
     *
     * @param module the module
     */
    void module(Module module);

    /**
     * Adds a one-off admin command, as {@link App#command} does: from a module, the way a module
     * brings its own commands. Commands belong to the service: a process type's setup cannot add
     * one (it throws), and a command a module adds while installed in a process type is not added
     * there (add the module to the app too).
     *
     * @param name the command's name: lower case letters, digits and dashes, such as {@code migrate}
     * @param description one line for {@code --help}
     * @param command what runs, with the modules' components started
     * @return these components
     */
    Components command(String name, String description, Command command);

    /**
     * Declares a backing service this process depends on, and which failures mean it is
     * unavailable. A request whose handler lets such a failure through is answered 503 with
     * {@code Retry-After} (not 500: nothing here broke); the first one logs one WARN, and when
     * {@code check} passes again (tried once a second) one INFO says how many requests failed
     * meanwhile. A component whose {@code start()} fails with one does not end the process: the
     * service waits, not ready, and starts it again with backoff for up to {@code startup.max-wait}.
     * The {@code check} command runs {@code check} once. Readiness does not wait for it unless
     * {@link #readinessCheck} is added too.
     *
     * {@snippet :
     * process.backingService("rates", rates::ping, failure -> failure instanceof java.net.ConnectException);
     * }
     *
     * @param name its name in events and in the {@code check} command's report
     * @param check returns when the service answers, throws when not
     * @param unavailable whether a failure (or any of its causes) means the service is unavailable
     */
    void backingService(String name, HealthCheck check, java.util.function.Predicate<Throwable> unavailable);

    /**
     * Adds a component; components start in the order added, before the HTTP server, and stop
     * in reverse, after it.
     *
     * @param component the component
     */
    void component(Component component);

    /**
     * Adds a check that readiness requires, such as a database ping; while it fails,
     * {@code /health/ready} answers 503 and load balancers route elsewhere.
     *
     * @param name the check's name in the probe's answer
     * @param check returns when healthy, throws when not
     */
    void readinessCheck(String name, HealthCheck check);

    /**
     * Adds a check that liveness requires; only for what a restart fixes, never a backing service.
     *
     * @param name the check's name in the probe's answer
     * @param check returns when healthy, throws when not
     */
    void livenessCheck(String name, HealthCheck check);

    /**
     * Runs {@code task} every {@code interval} while the process runs, as a component of its own:
     * the first run one interval after start, each next one an interval after the last ended
     * (never two at once), every wait ± 10 % so that replicas spread out. A run that throws is
     * logged (a warning with its stack) and counted, never fatal: the next runs on time. No run
     * begins once the process drains; at shutdown the run under way is interrupted and waited for
     * within the component's stop budget. A run that reads a setting the configuration does not
     * give (a {@code Secret} this process was started without) ends the process, exit 1, naming
     * it. Each run is timed in {@code scheduled.task.runs}, tagged
     * {@code task} and {@code outcome} ({@code success}, {@code failure}).
     *
     * {@snippet :
     * app.every("purge", Duration.ofMinutes(1), () -> notes.purgeExpired(Instant.now()));
     * }
     *
     * @param name the task's name, as a component's: in logs and the meter's {@code task} tag
     * @param interval the time between runs, at least 1 ms
     * @param task what runs
     */
    void every(String name, java.time.Duration interval, Task task);

    /**
     * Calls {@code listener} on every change of the process's state, such as
     * {@link HealthState#DRAINING} at the start of shutdown: the moment to stop taking new work.
     *
     * @param listener told the new state
     */
    void onStateChange(Consumer<HealthState> listener);
}
