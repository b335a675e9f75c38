package dev.skiff.http.internal;

import dev.skiff.lifecycle.internal.Drain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default drain: serving on, with readiness down, until every party that routes here has
 * noticed — told by what the server saw before the signal and sees after it. The rule, its
 * reasons and its worst case are in docs/lifecycle.md ("How long the drain lasts").
 *
 * <ul>
 *   <li>A load balancer that probed readiness steadily before the signal (the same address and
 *       {@code User-Agent}, at least two probes, the last within two intervals; or one probe followed by
 *       steady requests from its address. One on this machine that sent no request in the last
 *       minute is a monitor, not a balancer): when its
 *       requests were steady, it has noticed once they stop (no request from its address for
 *       twice the longest gap seen before the signal, at least 250 ms); otherwise once three of
 *       its probes were answered 503, or three and a half intervals passed without them.
 *   <li>Kubernetes' kubelet probes do not route: endpoints are removed on deletion whatever they
 *       say, which the platform's floor covers.
 *   <li>Requests from other addresses count when nothing probes, or on Kubernetes: they must
 *       stop (a quiet of twice their longest gap, 250 ms to 2 s). Requests from this machine
 *       alone (a laptop, a test) count only on Kubernetes, where a sidecar proxy sends from
 *       loopback.
 *   <li>Nothing observed: no wait beyond the floor.
 * </ul>
 */
public final class TrafficAwareDrain implements Drain {

    private static final Logger log = LoggerFactory.getLogger(TrafficAwareDrain.class);

    /** Failed probes after which a load balancer has noticed: the default of HAProxy and Kubernetes, more than AWS's and Google's. */
    static final int FAILED_PROBES = 3;
    /** After the last failed probe a balancer needs, for requests it sent just before to arrive. */
    private static final long TAIL = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long LEAST_QUIET = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long MOST_QUIET_PROBER = TimeUnit.SECONDS.toNanos(1);
    private static final long MOST_QUIET_OTHERS = TimeUnit.SECONDS.toNanos(2);
    private static final long POLL_MILLIS = 20;
    /** A poll this much later than due means the process was paused. */
    private static final long STALL = TimeUnit.MILLISECONDS.toNanos(100);
    /** How recent a single probe must be for its prober to count. */
    private static final long ONE_PROBE_RECENT = TimeUnit.SECONDS.toNanos(60);
    /** How long a prober on this machine may have sent no request and still count as a balancer. */
    private static final long MONITOR_QUIET = TimeUnit.SECONDS.toNanos(60);

    private final TrafficWatch watch;
    private final Duration floor;
    private final String platform;
    private final boolean kubernetes;

    /**
     * @param watch what the server sees
     * @param floor the least the drain lasts (Kubernetes removes endpoints whatever readiness says)
     * @param platform the platform's name, for the log
     * @param kubernetes whether the service runs on Kubernetes
     */
    public TrafficAwareDrain(TrafficWatch watch, Duration floor, String platform, boolean kubernetes) {
        this.watch = watch;
        this.floor = floor;
        this.platform = platform;
        this.kubernetes = kubernetes;
    }

    @Override
    public void await(Duration max) throws InterruptedException {
        long signal = watch.now();
        Plan plan = plan(signal);
        long floorNanos = Math.min(floor.toNanos(), max.toNanos());
        long maxNanos = max.toNanos();
        long now = signal;
        long watchedSince = signal;
        boolean noticed = false;
        while (true) {
            if (now - signal >= floorNanos && plan.noticed(now, watchedSince)) {
                noticed = true;
                break;
            }
            if (now - signal >= maxNanos) {
                break;
            }
            Thread.sleep(Math.max(1, Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(maxNanos - (now - signal)))));
            long before = now;
            now = watch.now();
            if (now - before > STALL) {
                // This thread did not run for a while (a GC pause, a starved core): neither did the
                // I/O threads, so the quiet it would see is theirs, not the balancers'. Watch anew.
                watchedSince = now;
            }
        }
        report(plan, signal, now, noticed, max);
    }

    /** Who, of what the server saw before the signal, must notice. */
    Plan plan(long signal) {
        var parties = new ArrayList<Party>();
        var ignored = new ArrayList<String>();
        List<TrafficWatch.Prober> probers = watch.probers();
        for (TrafficWatch.Prober prober : probers) {
            long interval = prober.interval();
            TrafficWatch.Lane lane = watch.laneOf(prober.address);
            TrafficWatch.Arrivals before = lane == null ? TrafficWatch.Arrivals.NONE : lane.arrivalsBefore(signal);
            if (interval == 0) {
                // Probed once: a load balancer that has just begun to route here (its first passing
                // check, as HAProxy's servers start UP), if requests have come steadily from its
                // address since and no prober there with a cadence explains them. Not a script that
                // waited for readiness and sent a few requests: their stop could not be told apart.
                boolean explained = probers.stream().anyMatch(other -> other != prober
                        && other.address.equals(prober.address) && other.interval() > 0);
                if (explained || !before.steady() || lane.last() <= prober.lastProbe()
                        || signal - prober.lastProbe() > ONE_PROBE_RECENT) {
                    continue;
                }
            } else if (signal - prober.lastProbe() > Math.max(2 * interval, interval + TimeUnit.SECONDS.toNanos(1))) {
                continue; // one that stopped probing: not a load balancer now
            } else if (prober.address.isLoopbackAddress()
                    && (lane.last() == Long.MIN_VALUE || signal - lane.last() > MONITOR_QUIET)) {
                // On this machine, a balancer's requests come from where its probes come from: with
                // none, it is a monitor (a container's HEALTHCHECK, an agent), which routes nothing.
                ignored.add("probes every " + millis(interval) + " ms by " + prober.name()
                        + ", which sent no request in the last minute: a monitor, not a balancer");
                continue;
            }
            if (prober.kubelet()) {
                ignored.add("the kubelet at " + prober.name() + " probing every " + millis(interval)
                        + " ms (its answer does not route: endpoints go on deletion)");
                continue;
            }
            parties.add(new ProberParty(prober, interval, lane, before, signal));
        }
        boolean probed = !parties.isEmpty();
        TrafficWatch.Arrivals remote = watch.remote().arrivalsBefore(signal);
        if (remote.any() && (!probed || kubernetes)) {
            parties.add(new Others("requests from other machines", watch.remote(), remote));
        }
        TrafficWatch.Arrivals local = watch.local().arrivalsBefore(signal);
        if (local.any() && kubernetes) {
            parties.add(new Others("requests from this machine (a sidecar proxy's)", watch.local(), local));
        }
        return new Plan(parties, ignored);
    }

    private void report(Plan plan, long signal, long end, boolean noticed, Duration max) {
        long took = millis(end - signal);
        var inputs = new ArrayList<String>();
        plan.parties.forEach(party -> inputs.add(party.describe(signal)));
        inputs.addAll(plan.ignored);
        if (plan.parties.isEmpty()) {
            inputs.add(0, "no load balancer probed readiness and no request came from another machine in the 3 s before");
        }
        if (!floor.isZero()) {
            inputs.add(0, "at least " + floor.toMillis() + " ms on " + platform);
        }
        String what = String.join("; ", inputs);
        var event = noticed ? log.atInfo().setMessage("drained for {} ms: {}")
                : log.atWarn().setMessage("drained for {} ms, all the shutdown budget allows, before every party"
                        + " routing here had noticed: {}; requests that still come are refused: give the drain more time"
                        + " with SHUTDOWN_GRACE_PERIOD (what the platform waits before killing) or a fixed"
                        + " SHUTDOWN_DRAIN_DELAY, or probe readiness more often");
        event.addArgument(took).addArgument(what).addKeyValue("drain_ms", took)
                .addKeyValue("drain.max_ms", max.toMillis()).addKeyValue("drain.noticed", noticed).log();
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** {@return twice the longest gap, within bounds} */
    private static long quiet(TrafficWatch.Arrivals arrivals, long most) {
        return Math.min(most, Math.max(LEAST_QUIET, 2 * arrivals.longestGapNanos()));
    }

    /** Who must notice, and what was seen but does not count. */
    record Plan(List<Party> parties, List<String> ignored) {

        /**
         * {@return whether every party has noticed by {@code now}, with a quiet counted from
         * {@code since} at the earliest: the signal, or the end of a pause of the process}
         */
        boolean noticed(long now, long since) {
            for (Party party : parties) {
                if (!party.noticed(now, since)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A party that routes here. */
    interface Party {

        /** {@return whether it has noticed by {@code now}, a quiet counting from {@code since} at the earliest} */
        boolean noticed(long now, long since);

        /** {@return what was seen of it, for the log} */
        String describe(long signal);
    }

    /** A load balancer that probes readiness. */
    record ProberParty(TrafficWatch.Prober prober, long interval, TrafficWatch.Lane lane,
                       TrafficWatch.Arrivals before, long signal) implements Party {

        @Override
        public boolean noticed(long now, long since) {
            if (before.steady()) {
                return now - Math.max(lane.last(), since) >= quiet(before, MOST_QUIET_PROBER);
            }
            if (prober.answeredDown() >= FAILED_PROBES && now - Math.max(prober.lastAnsweredDown(), since) >= TAIL) {
                return true;
            }
            // The probes should have come by now; if they did not, it probes no more. Of one that
            // probed once, the interval is not known: the shutdown budget bounds the wait.
            return interval > 0 && now - signal >= FAILED_PROBES * interval + interval / 2 + TAIL;
        }

        @Override
        public String describe(long signal) {
            String requests;
            long last = lane.last();
            if (before.steady()) {
                requests = last > signal ? "its requests stopped " + millis(last - signal) + " ms after SIGTERM"
                        : "its requests stopped at SIGTERM";
            } else if (last > signal) {
                requests = "its last request " + millis(last - signal) + " ms after SIGTERM (too few before to tell by them)";
            } else {
                requests = before.any() ? "too few requests from it to tell by them" : "no request from it";
            }
            String cadence = interval > 0 ? "every " + millis(interval) + " ms" : "once so far";
            return "readiness probed " + cadence + " by " + prober.name() + ", " + requests + ", "
                    + prober.answeredDown() + " probes answered 503";
        }
    }

    /** Requests from addresses that do not probe. */
    record Others(String what, TrafficWatch.Lane lane, TrafficWatch.Arrivals before) implements Party {

        @Override
        public boolean noticed(long now, long since) {
            return now - Math.max(lane.last(), since) >= quiet(before, MOST_QUIET_OTHERS);
        }

        @Override
        public String describe(long signal) {
            long last = lane.last();
            return what + (last > signal ? ", the last " + millis(last - signal) + " ms after SIGTERM"
                    : ", none after SIGTERM");
        }
    }
}
