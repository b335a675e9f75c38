package dev.skiff.http.drain.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * What the server sees of the parties that route to it, for the drain at shutdown to decide from:
 * who probes readiness and how often, and when requests arrive, from a prober's address or from
 * elsewhere. Management endpoints are not traffic: a scrape or a probe routes nothing.
 *
 * <p>Any client can send a probe, so a prober is told apart by all a client going through a
 * balancer cannot make its own request look like: the address, the {@code User-Agent}, and the
 * request's shape — its HTTP version and the names of its headers, to which every proxy adds its
 * own ({@code Connection}, {@code X-Forwarded-For}, {@code Via}, ...). A probe carrying a
 * forwarding header is a client's request through a proxy, never a balancer's check.
 *
 * <p>Cheap on the request path: a request costs a clock read, a comparison with each prober's
 * address (a handful at most) and a store or two. Bounded whatever clients send: at most
 * {@value #MAX_PROBERS} probers are kept (the one probed least recently makes room), and a
 * prober's name is cut to what is printable.
 */
public final class TrafficWatch {

    /** The most probers kept ... */
    static final int MAX_PROBERS = 16;
    /** ... and at one address (one balancer may probe under a few names; a client, under any). */
    static final int MAX_PER_ADDRESS = 4;
    /** A prober that has not probed for this long (and three of its gaps) may make room for another. */
    static final long FORGOTTEN_AFTER = TimeUnit.SECONDS.toNanos(60);
    /** Arrivals are kept per tenth of a second ... */
    static final long BUCKET_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** ... for the last 6.4 s. */
    static final int BUCKETS = 64;
    /** The window before the signal in which requests mean a party routes here: 3 s. */
    static final int WINDOW_BUCKETS = 30;
    /** Requests in every tenth of the last 2 s are steady: a balancer's traffic, not a script's few. */
    static final int STEADY_BUCKETS = 20;
    private static final int PROBE_TIMES = 8;
    static final long NEVER = Long.MIN_VALUE;

    private final LongSupplier clock;
    private final Map<String, Prober> probers = new LinkedHashMap<>();
    /** One lane per address that probes; read on every request, replaced when probers change. */
    private volatile Lane[] proberLanes = new Lane[0];
    private final Lane remote = new Lane(null);
    private final Lane local = new Lane(null);
    /** When a prober last could not be watched (no room for it, or forgotten while it probed). */
    private volatile long lastUnwatched = NEVER;
    private volatile String unwatched;

    /** A watch on the system's monotonic clock. */
    public TrafficWatch() {
        this(System::nanoTime);
    }

    TrafficWatch(LongSupplier clock) {
        this.clock = clock;
    }

    /** {@return now, on the watch's clock, in nanoseconds} */
    long now() {
        return clock.getAsLong();
    }

    /**
     * Notes an application request from {@code peer}.
     *
     * @param peer the connection's peer; null when unknown
     */
    public void request(InetSocketAddress peer) {
        long now = clock.getAsLong();
        InetAddress address = peer == null ? null : peer.getAddress();
        for (Lane lane : proberLanes) {
            if (lane.address.equals(address)) {
                lane.arrive(now);
                return;
            }
        }
        (address == null || address.isLoopbackAddress() ? local : remote).arrive(now);
    }

    /**
     * Notes a readiness probe and the answer it got.
     *
     * @param peer the connection's peer
     * @param userAgent the probe's {@code User-Agent}, or null
     * @param shape the request's HTTP version and header names, from {@link #shape}
     * @param answeredDown whether the probe was answered 503 because the service is draining
     */
    public void probe(InetSocketAddress peer, String userAgent, String shape, boolean answeredDown) {
        long now = clock.getAsLong();
        InetAddress address = peer == null ? null : peer.getAddress();
        if (address == null) {
            return;
        }
        String agent = printable(userAgent);
        String key = address.getHostAddress() + " " + agent + " " + shape;
        synchronized (probers) {
            Prober prober = probers.get(key);
            if (prober == null) {
                if (answeredDown) {
                    return; // one that starts probing during the drain did not route here before it
                }
                if (!makeRoom(address, now)) {
                    // A client sending probes under new names cannot push a balancer out, nor keep
                    // one from being watched: the drain then waits its limit.
                    unwatched(address, now);
                    return;
                }
                prober = new Prober(key, address, agent, shape);
                probers.put(key, prober);
                relane();
            }
            prober.probed(now, answeredDown);
        }
    }

    /**
     * {@return a request's shape, as a prober is told apart by it: the HTTP version, then the
     * header names but {@code User-Agent}, in lower case and sorted; at most 120 characters}
     *
     * @param protocol the request's HTTP version, such as {@code HTTP/1.1}
     * @param headerNames its header names
     */
    public static String shape(String protocol, Iterable<String> headerNames) {
        var names = new java.util.TreeSet<String>();
        for (String name : headerNames) {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (!lower.equals("user-agent")) {
                names.add(printable(lower));
            }
        }
        String shape = printable(protocol) + (names.isEmpty() ? " with no other header" : " with " + String.join(", ", names));
        return shape.length() <= 120 ? shape : shape.substring(0, 120);
    }

    /** {@return whether a request came through a proxy that says so: it is a client's, not a balancer's check} */
    public static boolean forwarded(Iterable<String> headerNames) {
        for (String name : headerNames) {
            switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "x-forwarded-for", "forwarded", "via", "x-real-ip", "x-forwarded-proto", "x-forwarded-host" -> {
                    return true;
                }
                default -> { }
            }
        }
        return false;
    }

    private void unwatched(InetAddress address, long now) {
        unwatched = address.getHostAddress();
        lastUnwatched = now;
    }

    /** {@return when a prober last could not be watched, or {@link Long#MIN_VALUE}} */
    long lastUnwatched() {
        return lastUnwatched;
    }

    /** {@return the address of the last prober that could not be watched, or null} */
    String unwatchedAddress() {
        return unwatched;
    }

    /**
     * Makes room for one more prober at {@code address}, if need be by forgetting one that has
     * no cadence (it probed once) or has stopped probing; never one that probes steadily.
     *
     * @return whether there is room
     */
    private boolean makeRoom(InetAddress address, long now) {
        long atAddress = probers.values().stream().filter(p -> p.address.equals(address)).count();
        boolean full = probers.size() >= MAX_PROBERS;
        if (!full && atAddress < MAX_PER_ADDRESS) {
            return true;
        }
        boolean crowded = atAddress >= MAX_PER_ADDRESS;
        var candidates = probers.values().stream()
                .filter(p -> !crowded || p.address.equals(address))
                .filter(p -> p.cadence().interval() == 0
                        || now - p.lastProbe() > Math.max(FORGOTTEN_AFTER, 3 * p.cadence().longest()))
                .min(Comparator.comparingLong(Prober::lastProbe));
        candidates.ifPresent(forgotten -> {
            probers.remove(forgotten.key);
            if (now - forgotten.lastProbe() <= FORGOTTEN_AFTER) {
                unwatched(forgotten.address, now); // forgotten while it may still be probing
            }
        });
        return candidates.isPresent();
    }

    /** Keeps a lane for each address that probes, the lanes of the addresses still probing included. */
    private void relane() {
        Map<InetAddress, Lane> kept = new LinkedHashMap<>();
        for (Lane lane : proberLanes) {
            kept.put(lane.address, lane);
        }
        List<Lane> lanes = new ArrayList<>();
        for (Prober prober : probers.values()) {
            if (lanes.stream().noneMatch(lane -> lane.address.equals(prober.address))) {
                lanes.add(kept.getOrDefault(prober.address, new Lane(prober.address)));
            }
        }
        proberLanes = lanes.toArray(Lane[]::new);
    }

    /** {@return the probers seen, a copy} */
    List<Prober> probers() {
        synchronized (probers) {
            return List.copyOf(probers.values());
        }
    }

    /** {@return the probers seen and the lanes of their addresses, taken together} */
    Seen seen() {
        synchronized (probers) {
            return new Seen(List.copyOf(probers.values()), List.of(proberLanes));
        }
    }

    /**
     * The probers and the lanes of their addresses at one moment.
     *
     * @param probers every prober kept
     * @param lanes one per address of a prober
     */
    record Seen(List<Prober> probers, List<Lane> lanes) {

        /** {@return the lane of a prober's address} */
        Lane laneOf(Prober prober) {
            for (Lane lane : lanes) {
                if (lane.address.equals(prober.address)) {
                    return lane;
                }
            }
            throw new IllegalStateException("no lane for " + prober.name()); // kept together under one lock
        }
    }

    /** {@return requests from outside this machine, not from an address that probes} */
    Lane remote() {
        return remote;
    }

    /** {@return requests from this machine (loopback), not from an address that probes} */
    Lane local() {
        return local;
    }

    /** {@return a client's text (a {@code User-Agent}, a path) as it may be printed: printable ASCII, at most 60 characters} */
    public static String printable(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return "no User-Agent";
        }
        var out = new StringBuilder();
        for (int i = 0; i < userAgent.length() && out.length() < 60; i++) {
            char c = userAgent.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }

    /**
     * How a prober probed.
     *
     * @param interval the median time between its probes, in nanoseconds; 0 when it probed fewer
     *     than twice (a load balancer probes at least twice, its {@code rise}, before it routes here)
     * @param longest the longest time between them: longer than the interval when two checks probe
     *     from one address under one name (one balancer, two backends), their probes interleaved
     * @param regular whether they come in one rhythm
     */
    record Cadence(long interval, long longest, boolean regular) {

        static final Cadence UNKNOWN = new Cadence(0, 0, true);
    }

    /** A party that probes readiness, told apart by address, {@code User-Agent} and request shape. */
    static final class Prober {

        final String key;
        final InetAddress address;
        final String agent;
        final String shape;
        private final long[] times = new long[PROBE_TIMES];
        private int count;
        private volatile long lastProbe = NEVER;
        private final AtomicInteger answeredDown = new AtomicInteger();
        private volatile long lastAnsweredDown = NEVER;
        private volatile boolean contested;

        Prober(String key, InetAddress address, String agent, String shape) {
            this.key = key;
            this.address = address;
            this.agent = agent;
            this.shape = shape;
        }

        synchronized void probed(long now, boolean down) {
            if (down) {
                // A balancer keeps its cadence while it counts its failed checks. A probe sooner
                // than that under its name is not its: someone else probes in its shape, and its
                // count can no longer be told from theirs.
                long interval = cadence().interval();
                if (interval > 0 && lastProbe != NEVER && (now - lastProbe) * 4 < interval * 3) {
                    contested = true;
                }
                answeredDown.incrementAndGet();
                lastAnsweredDown = now;
            } else {
                times[count % PROBE_TIMES] = now;
                count++;
            }
            lastProbe = now;
        }

        /** {@return whether a probe in its shape came sooner than its cadence during the drain} */
        boolean contested() {
            return contested;
        }

        long lastProbe() {
            return lastProbe;
        }

        /** {@return the probes answered 503 while draining} */
        int answeredDown() {
            return answeredDown.get();
        }

        /** {@return when the last of those was answered} */
        long lastAnsweredDown() {
            return lastAnsweredDown;
        }

        /** {@return how it probed before the drain, from the gaps between its last probes} */
        synchronized Cadence cadence() {
            long[] gaps = gaps();
            if (gaps.length == 0) {
                return Cadence.UNKNOWN;
            }
            // The lower median: one long pause does not make it slow.
            long interval = gaps[(gaps.length - 1) / 2];
            int longer = 0;
            for (long gap : gaps) {
                longer += gap > interval + interval / 2 ? 1 : 0;
            }
            // Two rhythms (two checks interleaved at one address): gaps much shorter than the
            // median, or more than one much longer; a single long gap is a pause.
            boolean regular = gaps[0] * 4 >= interval * 3 && longer <= 1;
            return new Cadence(interval, gaps[gaps.length - 1], regular);
        }

        /** {@return the times between its recent probes, sorted} */
        private long[] gaps() {
            int kept = Math.min(count, PROBE_TIMES);
            if (kept < 2) {
                return new long[0];
            }
            long[] gaps = new long[kept - 1];
            for (int i = 1; i < kept; i++) {
                gaps[i - 1] = times[(count - kept + i) % PROBE_TIMES] - times[(count - kept + i - 1) % PROBE_TIMES];
            }
            Arrays.sort(gaps);
            return gaps;
        }

        /** {@return the name it is logged under: its address, User-Agent and request's shape} */
        String name() {
            return address.getHostAddress() + " (" + agent + "; " + shape + ")";
        }

        /** {@return whether it is Kubernetes' kubelet, whose probes do not decide where traffic goes} */
        boolean kubelet() {
            return agent.startsWith("kube-probe/");
        }
    }
}
