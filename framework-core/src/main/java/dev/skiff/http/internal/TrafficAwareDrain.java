package dev.skiff.http.internal;

import dev.skiff.lifecycle.internal.Drain;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
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
 *   <li>A load balancer probes readiness: the same address and {@code User-Agent}, at least twice,
 *       the last time within two of its gaps (or once, followed by steady requests from its
 *       address: one that has just begun to route here). One whose address sent no request in the
 *       last minute, while requests came from elsewhere (or at all, on this machine), is a monitor.
 *   <li>When its requests were steady (some in every tenth of the last two seconds), it has
 *       noticed once they have stopped for 400 ms; otherwise once three of its probes were
 *       answered 503, or when they should have been and were not.
 *   <li>Kubernetes' kubelet probes do not route: endpoints are removed on deletion whatever they
 *       say, which the platform's floor covers.
 *   <li>Requests no waited-for balancer accounts for count when nothing probes (from other
 *       machines) or on Kubernetes (from anywhere, a sidecar's loopback included): they must
 *       stop, for thrice their longest gap, 250 ms to 2 s.
 *   <li>Nothing observed: no wait beyond the floor.
 * </ul>
 */
public final class TrafficAwareDrain implements Drain {

    private static final Logger log = LoggerFactory.getLogger(TrafficAwareDrain.class);

    /** Failed probes after which a load balancer has noticed: the default of HAProxy and Kubernetes, more than AWS's and Google's. */
    static final int FAILED_PROBES = 3;
    /** After the last failed probe a balancer needs, for requests it sent just before to arrive. */
    private static final long TAIL = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long a balancer's steady requests must have stopped. */
    private static final long STEADY_QUIET = TimeUnit.MILLISECONDS.toNanos(400);
    /** How long other requests must have stopped: thrice their longest gap, within these bounds. */
    private static final long LEAST_QUIET = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long MOST_QUIET = TimeUnit.SECONDS.toNanos(2);
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
        TrafficWatch.Seen seen = watch.seen();
        var parties = new ArrayList<Party>();
        var ignored = new ArrayList<String>();
        var routing = new HashSet<InetAddress>();
        for (TrafficWatch.Prober prober : seen.probers()) {
            TrafficWatch.Cadence cadence = prober.cadence();
            long interval = cadence.interval();
            long longest = cadence.longest();
            TrafficWatch.Lane lane = seen.laneOf(prober);
            TrafficWatch.Arrivals before = lane.arrivalsBefore(signal);
            boolean requestless = lane.last() == Long.MIN_VALUE || signal - lane.last() > MONITOR_QUIET;
            if (interval == 0) {
                // Probed once: a load balancer that has just begun to route here (its first passing
                // check, as HAProxy's servers start UP), if requests have come steadily from its
                // address since and no prober there with a cadence explains them. Not a script that
                // waited for readiness and sent a few requests: their stop could not be told apart.
                boolean explained = seen.probers().stream().anyMatch(other -> other != prober
                        && other.address.equals(prober.address) && other.cadence().interval() > 0);
                if (explained || !before.steady() || lane.last() <= prober.lastProbe()
                        || signal - prober.lastProbe() > ONE_PROBE_RECENT) {
                    continue;
                }
            } else if (signal - prober.lastProbe() > Math.max(2 * longest, longest + TimeUnit.SECONDS.toNanos(1))) {
                continue; // one that stopped probing: not a load balancer now
            } else if (prober.kubelet()) {
                ignored.add("the kubelet at " + prober.name() + " probing every " + millis(interval)
                        + " ms (its answer does not route: endpoints go on deletion)");
                continue;
            } else if (requestless && (prober.address.isLoopbackAddress() || requestsElsewhere(seen, prober, signal))) {
                // A balancer's requests come from where its probes come from. With none from there
                // in a minute while requests came from elsewhere (or, on this machine, at all), it
                // is a monitor — a container's HEALTHCHECK, an uptime check — which routes nothing.
                ignored.add("probes every " + millis(interval) + " ms by " + prober.name()
                        + ", which sent no request in the last minute: a monitor, not a balancer");
                continue;
            }
            parties.add(new ProberParty(prober, cadence, lane, before, signal));
            routing.add(prober.address);
        }
        boolean probed = !parties.isEmpty();
        // The requests no balancer that probes accounts for, from wherever they came.
        for (TrafficWatch.Lane lane : seen.lanes()) {
            if (!routing.contains(lane.address)) {
                others(parties, "requests from " + lane.address.getHostAddress(), lane,
                        lane.address.isLoopbackAddress(), probed, signal);
            }
        }
        others(parties, "requests from other machines", watch.remote(), false, probed, signal);
        others(parties, "requests from this machine (a sidecar proxy's)", watch.local(), true, probed, signal);
        return new Plan(parties, ignored);
    }

    /**
     * Adds requests that came from addresses no waited-for balancer probes from: those from other
     * machines when nothing probes (whatever routes them does not follow readiness, but may stop
     * by other means: deregistration), and on Kubernetes, where endpoints go whatever readiness
     * says, those from anywhere — this machine's too, where a sidecar proxy forwards from loopback.
     */
    private void others(List<Party> parties, String what, TrafficWatch.Lane lane, boolean loopback, boolean probed,
            long signal) {
        TrafficWatch.Arrivals before = lane.arrivalsBefore(signal);
        if (before.any() && (kubernetes || (!loopback && !probed))) {
            parties.add(new Others(what, lane, before));
        }
    }

    /** {@return whether requests came, in the last minute, from an address other than the prober's} */
    private boolean requestsElsewhere(TrafficWatch.Seen seen, TrafficWatch.Prober prober, long signal) {
        var lanes = new ArrayList<TrafficWatch.Lane>(seen.lanes());
        lanes.add(watch.remote());
        lanes.add(watch.local());
        return lanes.stream().anyMatch(lane -> !prober.address.equals(lane.address)
                && lane.last() != Long.MIN_VALUE && signal - lane.last() <= MONITOR_QUIET);
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
    record ProberParty(TrafficWatch.Prober prober, TrafficWatch.Cadence cadence, TrafficWatch.Lane lane,
                       TrafficWatch.Arrivals before, long signal) implements Party {

        @Override
        public boolean noticed(long now, long since) {
            if (before.steady()) {
                // A balancer that still routes here still sends: whatever its threshold, it has
                // noticed once its requests, tens a second before, have stopped.
                return now - Math.max(lane.last(), since) >= STEADY_QUIET;
            }
            long interval = cadence.interval();
            boolean regular = cadence.regular();
            if (regular && prober.answeredDown() >= FAILED_PROBES
                    && now - Math.max(prober.lastAnsweredDown(), since) >= TAIL) {
                return true;
            }
            // The probes should have come by now; if they did not, it probes no more. Probes of two
            // checks interleaved at one address: each check's own period is about the two gaps
            // together. Of one that probed once, the interval is not known: the budget bounds it.
            long period = regular ? interval : interval + cadence.longest();
            return interval > 0 && now - signal >= FAILED_PROBES * period + period / 2 + TAIL;
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
            String every = cadence.interval() > 0 ? "every " + millis(cadence.interval()) + " ms" : "once so far";
            return "readiness probed " + every + " by " + prober.name() + ", " + requests + ", "
                    + prober.answeredDown() + " probes answered 503";
        }
    }

    /** Requests from addresses that do not probe. */
    record Others(String what, TrafficWatch.Lane lane, TrafficWatch.Arrivals before) implements Party {

        @Override
        public boolean noticed(long now, long since) {
            long quiet = Math.min(MOST_QUIET, Math.max(LEAST_QUIET, 3 * before.longestGapNanos()));
            return now - Math.max(lane.last(), since) >= quiet;
        }

        @Override
        public String describe(long signal) {
            long last = lane.last();
            return what + (last > signal ? ", the last " + millis(last - signal) + " ms after SIGTERM"
                    : ", none after SIGTERM");
        }
    }
}
