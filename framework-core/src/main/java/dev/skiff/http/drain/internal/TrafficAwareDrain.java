package dev.skiff.http.drain.internal;

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
 * reasons, its threat model and its worst case are in docs/lifecycle.md ("How long the drain
 * lasts").
 *
 * <p>Anything a client can send may lengthen the drain, never shorten it: a party's wait ends only
 * on time measured against a cadence that a client cannot make faster, or on a balancer's own
 * failed checks counted on that cadence; what a client can add — probes in a balancer's shape,
 * requests, new names — only adds parties, restarts quiets, or sends a party to the limit.
 *
 * <ul>
 *   <li>A load balancer probes readiness: the same address, {@code User-Agent} and request shape,
 *       at least twice, the last time within two of its gaps (or once, followed by steady requests
 *       from its address: one that has just begun to route here). One whose address sent no
 *       request in the last minute is a monitor.
 *   <li>It has noticed once three of its probes were answered 503, or when they should have been;
 *       if its probes did not keep one rhythm (before the signal or after), its count cannot be
 *       trusted and it is waited for to the limit.
 *   <li>Kubernetes' kubelet probes do not route: endpoints are removed on deletion whatever they
 *       say, which the platform's floor covers.
 *   <li>Requests no waited-for balancer accounts for count from other machines, and on Kubernetes
 *       from anywhere (a sidecar's loopback included): they must stop, for two seconds. A
 *       balancer accounts for its address's requests unless another prober there is not waited
 *       for (one that probed once or stopped, the kubelet).
 *   <li>A prober that could not be watched (more names than kept) is waited for to the limit.
 *   <li>Nothing observed: no wait beyond the floor.
 * </ul>
 */
public final class TrafficAwareDrain implements Drain {

    private static final Logger log = LoggerFactory.getLogger(TrafficAwareDrain.class);

    /** Failed probes after which a load balancer has noticed: the default of HAProxy and Kubernetes, more than AWS's and Google's. */
    static final int FAILED_PROBES = 3;
    /** After the last failed probe a balancer needs, for requests it sent just before to arrive. */
    private static final long TAIL = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long a balancer's requests must have stopped once its probes say it has noticed (one that needs more failed checks still sends). */
    static final long BALANCER_QUIET = TimeUnit.MILLISECONDS.toNanos(400);
    /** How long other requests must have stopped: fixed, so that no client's rhythm can shorten it. */
    static final long QUIET = TimeUnit.SECONDS.toNanos(2);
    private static final long POLL_MILLIS = 20;
    /** A poll this much later than due means the process was paused. */
    private static final long STALL = TimeUnit.MILLISECONDS.toNanos(100);
    /** How recent a probe must be for its prober to count. */
    private static final long ONE_PROBE_RECENT = TimeUnit.SECONDS.toNanos(60);
    /** How long a prober's address may have sent no request and the prober still count as a balancer. */
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
        var unexplained = new HashSet<InetAddress>();
        for (TrafficWatch.Prober prober : seen.probers()) {
            TrafficWatch.Cadence cadence = prober.cadence();
            long interval = cadence.interval();
            long longest = cadence.longest();
            Lane lane = seen.laneOf(prober);
            boolean recent = signal - prober.lastProbe() <= ONE_PROBE_RECENT;
            boolean requestless = lane.last() == Long.MIN_VALUE || signal - lane.last() > MONITOR_QUIET;
            if (interval == 0) {
                // Probed once. A balancer that has just begun to route here (HAProxy routes to a
                // server it starts UP before its second check) when requests have come steadily
                // from its address since: waited for until three of its probes failed, or to the
                // limit. Else a script that waited for readiness: its address's requests, if any
                // more come, must stop like any others (below).
                if (recent && lane.last() > prober.lastProbe() && lane.steadyBefore(signal)) {
                    parties.add(new ProberParty(prober, cadence, lane, true, signal));
                    routing.add(prober.address);
                } else if (recent) {
                    unexplained.add(prober.address);
                }
                continue;
            } else if (signal - prober.lastProbe() > Math.max(2 * longest, longest + TimeUnit.SECONDS.toNanos(1))) {
                if (recent) {
                    unexplained.add(prober.address); // one that stopped probing: not a load balancer now
                }
                continue;
            } else if (prober.kubelet()) {
                ignored.add("the kubelet at " + prober.name() + " probing every " + millis(interval)
                        + " ms (its answer does not route: endpoints go on deletion)");
                unexplained.add(prober.address);
                continue;
            } else if (requestless) {
                // A balancer's requests come from where its probes come from. With none from there
                // in a minute it is a monitor — a container's HEALTHCHECK, an uptime check — which
                // routes nothing. (Requests from elsewhere do not decide it: a client can send those.)
                ignored.add("probes every " + millis(interval) + " ms by " + prober.name()
                        + ", which sent no request in the last minute: a monitor, not a balancer");
                continue;
            }
            parties.add(new ProberParty(prober, cadence, lane, lane.anyBefore(signal), signal));
            routing.add(prober.address);
        }
        // A balancer's requests need no quiet of their own: it has noticed when its probes say so.
        // Unless another prober there is not waited for: then they may be someone else's.
        routing.removeAll(unexplained);
        if (watch.lastUnwatched() != Long.MIN_VALUE && signal - watch.lastUnwatched() <= ONE_PROBE_RECENT) {
            parties.add(new Unwatched(watch.unwatchedAddress()));
        }
        // The requests no balancer that probes accounts for, from wherever they came.
        for (Lane lane : seen.lanes()) {
            if (!routing.contains(lane.address)) {
                others(parties, "requests from " + lane.address.getHostAddress(), lane, lane.address.isLoopbackAddress(), signal);
            }
        }
        others(parties, "requests from other machines", watch.remote(), false, signal);
        others(parties, "requests from this machine (a sidecar proxy's)", watch.local(), true, signal);
        return new Plan(parties, ignored);
    }

    /**
     * Adds requests that came from addresses no waited-for balancer probes from: those from other
     * machines (whatever routes them does not follow readiness, but may stop by other means:
     * deregistration), and on Kubernetes, where endpoints go whatever readiness says, those from
     * anywhere — this machine's too, where a sidecar proxy forwards from loopback.
     */
    private void others(List<Party> parties, String what, Lane lane, boolean loopback, long signal) {
        if (lane.anyBefore(signal) && (kubernetes || !loopback)) {
            parties.add(new Others(what, lane));
        }
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
    record ProberParty(TrafficWatch.Prober prober, TrafficWatch.Cadence cadence, Lane lane,
                       boolean requestsBefore, long signal) implements Party {

        @Override
        public boolean noticed(long now, long since) {
            if (!cadence.regular() || prober.contested()) {
                // Two rhythms under one name: a second check, or a client probing in its shape.
                // Its count and its cadence cannot be trusted; the budget bounds the wait.
                return false;
            }
            boolean counted = prober.answeredDown() >= FAILED_PROBES
                    && now - Math.max(prober.lastAnsweredDown(), since) >= TAIL;
            // The probes should have come by now; if they did not, it probes no more.
            long interval = cadence.interval();
            boolean overdue = interval > 0 && now - signal >= FAILED_PROBES * interval + interval / 2 + TAIL;
            // While its requests go on it still routes here (HAProxy with fall 5): they must stop too.
            return (counted || overdue) && now - Math.max(lane.last(), since) >= BALANCER_QUIET;
        }

        @Override
        public String describe(long signal) {
            String every = cadence.interval() > 0 ? "every " + millis(cadence.interval()) + " ms" : "once so far";
            String rhythm = !cadence.regular() ? ", in two rhythms (its count cannot be trusted: waited to the limit)"
                    : prober.contested() ? ", probed sooner than its cadence during the drain (its count cannot be"
                            + " trusted: waited to the limit)" : "";
            long last = lane.last();
            String requests = last > signal ? ", its last request " + millis(last - signal) + " ms after SIGTERM"
                    : requestsBefore ? ", no request from it after SIGTERM" : ", no request from it";
            return "readiness probed " + every + " by " + prober.name() + rhythm + requests + ", "
                    + prober.answeredDown() + " probes answered 503";
        }
    }

    /** Probers that could not all be watched: more names than kept, so one may be a balancer. */
    record Unwatched(String address) implements Party {

        @Override
        public boolean noticed(long now, long since) {
            return false;
        }

        @Override
        public String describe(long signal) {
            return "probes under more names than are watched (the last from " + address
                    + "): one may be a balancer, so the drain waited to its limit";
        }
    }

    /** Requests from addresses that do not probe. */
    record Others(String what, Lane lane) implements Party {

        @Override
        public boolean noticed(long now, long since) {
            return now - Math.max(lane.last(), since) >= QUIET;
        }

        @Override
        public String describe(long signal) {
            long last = lane.last();
            return what + (last > signal ? ", the last " + millis(last - signal) + " ms after SIGTERM"
                    : ", none after SIGTERM");
        }
    }
}
