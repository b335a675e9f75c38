package dev.skiff.http.drain.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The drain's rule, on a clock the test moves: who must notice, and when they have. The same rule
 * on real sockets is DrainTest's, and behind HAProxy the rolling-restart drill's.
 */
class TrafficAwareDrainTest {

    private static final InetSocketAddress BALANCER = at(127, 0, 0, 1);
    private static final InetSocketAddress ELSEWHERE = at(10, 0, 0, 7);
    /** A load balancer on another machine, which may probe an idle service. */
    private static final InetSocketAddress REMOTE_BALANCER = at(10, 0, 0, 9);
    private static final InetSocketAddress NODE = at(10, 0, 0, 1);
    /** Where Istio's sidecar sends inbound requests from: a loopback address. */
    private static final InetSocketAddress SIDECAR = at(127, 0, 0, 6);

    private long now = TimeUnit.SECONDS.toNanos(1_000);
    private final TrafficWatch watch = new TrafficWatch(() -> now);

    private static InetSocketAddress at(int a, int b, int c, int d) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}), 40_000);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /**
     * Moves the clock on by {@code millis}: from {@code from}, a probe every {@code probeEvery} and
     * a request every {@code requestEvery} (0: none).
     */
    private void run(long millis, long probeEvery, long requestEvery, InetSocketAddress from, String agent, boolean draining) {
        long end = now + ms(millis);
        long nextProbe = probeEvery == 0 ? Long.MAX_VALUE : now;
        long nextRequest = requestEvery == 0 ? Long.MAX_VALUE : now;
        while (now < end) {
            if (now >= nextProbe) {
                probe(from, agent, draining);
                nextProbe += ms(probeEvery);
            }
            if (now >= nextRequest) {
                watch.request(from);
                nextRequest += ms(requestEvery);
            }
            now += ms(1);
        }
    }

    /** HAProxy's check: HTTP/1.0 and no header at all. */
    private static final String CHECK = TrafficWatch.shape("HTTP/1.0", java.util.List.of());
    /** A client's probe through HAProxy: it adds {@code Connection} to an HTTP/1.0 request. */
    private static final String PROXIED = TrafficWatch.shape("HTTP/1.0", java.util.List.of("connection"));

    private void probe(InetSocketAddress from, String agent, boolean draining) {
        watch.probe(from, agent, CHECK, draining);
    }

    private TrafficAwareDrain drain(boolean kubernetes) {
        return new TrafficAwareDrain(watch, kubernetes ? Duration.ofSeconds(5) : Duration.ZERO,
                kubernetes ? "Kubernetes" : "an unknown platform", kubernetes);
    }

    @Test
    void aBalancerHasNoticedAfterThreeFailedProbesOnceItsRequestsStop() {
        run(3_000, 200, 5, BALANCER, null, false);
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(false).plan(signal);
        assertThat(plan.parties()).singleElement().satisfies(party -> assertThat(party.describe(signal))
                .startsWith("readiness probed every 200 ms by 127.0.0.1 (no User-Agent; HTTP/1.0 with no other header)"));

        // Fall 3 at 200 ms: the balancer routes here until its third failed probe, 600 ms on.
        run(600, 200, 5, BALANCER, null, true);
        assertThat(plan.noticed(now, signal)).as("requests still came a moment ago").isFalse();
        long stopped = now;
        run(350, 200, 0, BALANCER, null, true);
        assertThat(plan.noticed(now, signal)).as("its requests stopped only 350 ms ago").isFalse();
        run(60, 0, 0, BALANCER, null, true);
        assertThat(plan.noticed(now, signal)).isTrue();
        assertThat(now - stopped).isLessThan(ms(450));
        assertThat(plan.parties().getFirst().describe(signal)).contains("its last request 595 ms after SIGTERM")
                .contains("5 probes answered 503");
    }

    @Test
    void whileItsRequestsGoOnFailedProbesAreNotEnough() {
        // A balancer that needs more than three failed probes (HAProxy fall 5) still routes here.
        run(3_000, 200, 5, BALANCER, null, false);
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(false).plan(signal);
        run(900, 200, 5, BALANCER, null, true);
        assertThat(plan.noticed(now, signal)).isFalse();
    }

    @Test
    void withFewRequestsThreeFailedProbesAreNeeded() {
        run(5_000, 1_000, 500, REMOTE_BALANCER, null, false);
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(false).plan(signal);
        run(2_050, 1_000, 0, REMOTE_BALANCER, null, true);
        assertThat(plan.noticed(now, signal)).as("three probes answered 503, the last 50 ms ago").isFalse();
        run(100, 0, 0, BALANCER, null, true);
        assertThat(plan.noticed(now, signal)).isTrue();
    }

    @Test
    void aBalancerThatStopsProbingIsWaitedForThreeAndAHalfIntervals() {
        run(5_000, 1_000, 500, REMOTE_BALANCER, null, false);
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(false).plan(signal);
        now += ms(3_500);
        assertThat(plan.noticed(now, signal)).isFalse();
        now += ms(100);
        assertThat(plan.noticed(now, signal)).isTrue();
    }

    @Test
    void probesFromThisMachineWithNoRequestFromThereAreAMonitor() {
        // A container's HEALTHCHECK: curl inside it every 30 s; the requests come through the bridge.
        run(120_000, 30_000, 0, BALANCER, "curl/8.5.0", false);
        run(3_000, 0, 20, at(172, 17, 0, 1), null, false);
        TrafficAwareDrain.Plan plan = drain(false).plan(now);
        assertThat(plan.ignored()).singleElement().asString()
                .isEqualTo("probes every 30000 ms by 127.0.0.1 (curl/8.5.0; HTTP/1.0 with no other header), which sent no request in the last minute:"
                        + " a monitor, not a balancer");
        assertThat(plan.parties()).singleElement().satisfies(party -> assertThat(party.describe(now))
                .startsWith("requests from other machines"));
    }

    @Test
    void oneProbeThenAFewRequestsIsAScriptNotABalancer() {
        probe(BALANCER, "python-urllib/3.11", false);
        run(50, 0, 10, BALANCER, null, false);
        now += ms(500);
        assertThat(drain(false).plan(now).parties()).isEmpty();
    }

    @Test
    void nothingObservedMeansNothingToWaitFor() {
        // A laptop: requests from this machine, no prober.
        run(3_000, 0, 10, BALANCER, null, false);
        TrafficAwareDrain.Plan plan = drain(false).plan(now);
        assertThat(plan.parties()).isEmpty();
        assertThat(plan.noticed(now, now)).isTrue();
    }

    @Test
    void onKubernetesTheKubeletIsNotWaitedForButRequestsFromThisMachineAre() {
        run(30_000, 10_000, 0, NODE, "kube-probe/1.31", false);
        run(3_000, 0, 10, SIDECAR, null, false);
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(true).plan(signal);
        assertThat(plan.ignored()).singleElement().asString().startsWith("the kubelet at 10.0.0.1 (kube-probe/1.31;");
        assertThat(plan.parties()).singleElement().satisfies(party -> assertThat(party.describe(signal))
                .startsWith("requests from this machine"));
    }

    @Test
    void requestsFromElsewhereWithNoProberMustStopForTwoSeconds() {
        run(3_000, 0, 50, ELSEWHERE, null, false);
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(false).plan(signal);
        assertThat(plan.parties()).singleElement().satisfies(party -> assertThat(party.describe(signal))
                .startsWith("requests from other machines"));
        run(1_000, 0, 50, ELSEWHERE, null, true);
        assertThat(plan.noticed(now, signal)).isFalse();
        now += ms(1_900);
        assertThat(plan.noticed(now, signal)).as("a fixed quiet, whatever their rhythm was").isFalse();
        now += ms(110);
        assertThat(plan.noticed(now, signal)).isTrue();
    }

    @Test
    void probesByHandAreNotABalancer() {
        probe(BALANCER, "curl/8.5.0", false);
        now += ms(20_000);
        probe(BALANCER, "curl/8.5.0", false);
        now += ms(60_000);
        assertThat(drain(false).plan(now).parties()).as("stopped probing a minute ago").isEmpty();

        probe(BALANCER, "Wget/1.21", false);
        now += ms(100);
        assertThat(drain(false).plan(now).parties()).as("once, and no request since").isEmpty();
    }

    @Test
    void oneProbeFollowedBySteadyRequestsIsABalancerThatHasJustBegun() {
        // HAProxy routes to a server it starts UP before its second check.
        probe(REMOTE_BALANCER, null, false);
        run(2_500, 0, 5, REMOTE_BALANCER, null, false);
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(false).plan(signal);
        assertThat(plan.parties()).singleElement().satisfies(party -> assertThat(party.describe(signal))
                .startsWith("readiness probed once so far by 10.0.0.9"));
        run(1_000, 0, 5, REMOTE_BALANCER, null, true);
        now += ms(5_000);
        assertThat(plan.noticed(now, signal)).as("its cadence unknown: three failed probes, or the limit").isFalse();
        run(2_100, 1_000, 0, REMOTE_BALANCER, null, true);
        now += ms(400);
        assertThat(plan.noticed(now, signal)).isTrue();
    }

    @Test
    void aProbeByHandFromTheBalancersAddressIsWaitedForToo() {
        // Once, then steady requests from there: it could be a balancer that has just begun.
        probe(BALANCER, "curl/8.5.0", false);
        run(3_000, 200, 5, BALANCER, null, false);
        assertThat(drain(false).plan(now).parties()).hasSize(2);
    }

    @Test
    void aClientProbingUnderEverNewNamesCannotPushTheBalancerOutAndMakesTheDrainWaitItsLimit() {
        run(2_000, 200, 5, BALANCER, null, false);
        for (int i = 0; i < 1_000; i++) {
            probe(i % 2 == 0 ? BALANCER : at(10, 2, i / 250, i % 250), "agent " + i, false);
        }
        run(1_000, 200, 5, BALANCER, null, false);
        assertThat(watch.probers()).hasSizeLessThanOrEqualTo(TrafficWatch.MAX_PROBERS)
                .filteredOn(prober -> prober.address.equals(BALANCER.getAddress())).hasSizeLessThanOrEqualTo(4);
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(false).plan(signal);
        assertThat(plan.parties()).extracting(party -> party.describe(signal))
                .anySatisfy(line -> assertThat(line).startsWith(
                        "readiness probed every 200 ms by 127.0.0.1 (no User-Agent; HTTP/1.0 with no other header)"))
                .anySatisfy(line -> assertThat(line).startsWith("probes under more names than are watched"));
        run(10_000, 200, 0, BALANCER, null, true);
        assertThat(plan.noticed(now, signal)).as("a prober may have gone unwatched: the limit").isFalse();
    }

    @Test
    void requestsFromTheAddressOfAProberNotWaitedForStillCount() {
        // A deploy script once probed from the host whose nginx (which never probes) sends requests.
        for (int i = 0; i < 5; i++) {
            probe(ELSEWHERE, "curl/8.5.0", false);
            now += ms(100);
        }
        now += ms(120_000);
        run(3_000, 0, 50, ELSEWHERE, null, false);
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(false).plan(signal);
        assertThat(plan.parties()).singleElement().satisfies(party -> assertThat(party.describe(signal))
                .startsWith("requests from 10.0.0.7"));
        run(2_000, 0, 50, ELSEWHERE, null, true);
        assertThat(plan.noticed(now, signal)).isFalse();
    }

    @Test
    void onKubernetesRequestsFromTheKubeletsAddressMustStopToo() {
        // A hostNetwork ingress sends from the node's address, where the kubelet probes from.
        run(30_000, 10_000, 0, NODE, "kube-probe/1.31", false);
        run(3_000, 0, 20, NODE, null, false);
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(true).plan(signal);
        assertThat(plan.parties()).singleElement().satisfies(party -> assertThat(party.describe(signal))
                .startsWith("requests from 10.0.0.1"));
        run(1_000, 0, 20, NODE, null, true);
        assertThat(plan.noticed(now, signal)).isFalse();
    }

    @Test
    void aRemoteProberThatSendsNoRequestIsAMonitor() {
        for (int i = 0; i < 3; i++) {
            probe(ELSEWHERE, "UptimeRobot/2.0", false);
            run(60_000, 0, 0, ELSEWHERE, null, false);
        }
        run(3_000, 200, 5, REMOTE_BALANCER, null, false);
        TrafficAwareDrain.Plan plan = drain(false).plan(now);
        assertThat(plan.ignored()).singleElement().asString().startsWith("probes every 60000 ms by 10.0.0.7 (UptimeRobot/2.0;");
        assertThat(plan.parties()).singleElement().satisfies(party -> assertThat(party.describe(now))
                .startsWith("readiness probed every 200 ms by 10.0.0.9"));
    }

    @Test
    void twoChecksInterleavedAtOneAddressAreWaitedForToTheLimit() {
        // One HAProxy, the service in two backends: two checks every 2 s each, 300 ms apart, in
        // one shape. Their count cannot be told from a client's probes in that shape.
        for (int i = 0; i < 4; i++) {
            probe(REMOTE_BALANCER, null, false);
            watch.request(REMOTE_BALANCER);
            now += ms(300);
            probe(REMOTE_BALANCER, null, false);
            now += ms(1_700);
        }
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(false).plan(signal);
        assertThat(plan.parties()).singleElement().satisfies(party -> assertThat(party.describe(signal))
                .contains("in two rhythms"));
        for (int i = 0; i < 5; i++) {
            probe(REMOTE_BALANCER, null, true);
            now += ms(300);
            probe(REMOTE_BALANCER, null, true);
            now += ms(1_700);
        }
        assertThat(plan.noticed(now + ms(20_000), signal)).isFalse();
    }

    @Test
    void oneLongPauseBetweenProbesIsNotASecondRhythm() {
        for (int i = 0; i < 8; i++) {
            probe(REMOTE_BALANCER, null, false);
            watch.request(REMOTE_BALANCER);
            now += ms(i == 4 ? 2_500 : 1_000);
        }
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(false).plan(signal);
        run(2_050, 1_000, 0, REMOTE_BALANCER, null, true);
        now += ms(400);
        assertThat(plan.noticed(now, signal)).as("three probes answered 503 on its cadence").isTrue();
    }

    @Test
    void probesInTheBalancersShapeFasterThanItsCadenceSendTheDrainToItsLimit() {
        // A client whose bytes reach the service unchanged from the balancer's address (a TCP
        // proxy), probing in the check's exact shape: the count is no longer the balancer's.
        run(5_000, 1_000, 500, REMOTE_BALANCER, null, false);
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(false).plan(signal);
        for (int i = 0; i < 10; i++) {
            probe(REMOTE_BALANCER, null, true);
            now += ms(20);
        }
        now += ms(20_000);
        assertThat(plan.noticed(now, signal)).isFalse();
        assertThat(plan.parties().getFirst().describe(signal)).contains("probed sooner than its cadence");
    }

    @Test
    void aClientProbingThroughTheBalancerIsAnotherProberAndCannotShortenItsWait() {
        // HAProxy checks every 2 s (fall 3) and forwards 5 requests a second; a client sends
        // GET /health/ready through it every 50 ms with no User-Agent: same address, another shape.
        long end = now + ms(10_000);
        while (now < end) {
            if ((now / ms(1)) % 2_000 == 0) {
                watch.probe(BALANCER, null, CHECK, false);
            }
            if ((now / ms(1)) % 50 == 0) {
                watch.probe(BALANCER, null, PROXIED, false);
            }
            if ((now / ms(1)) % 200 == 0) {
                watch.request(BALANCER);
            }
            now += ms(1);
        }
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(false).plan(signal);
        assertThat(plan.parties()).hasSize(2);
        // HAProxy goes on routing here until its third failed check: up to 6 s after the signal.
        long markedDown = now + ms(5_999);
        while (now < markedDown) {
            if ((now / ms(1)) % 2_000 == 0) {
                watch.probe(BALANCER, null, CHECK, true);
            }
            if ((now / ms(1)) % 50 == 0) {
                watch.probe(BALANCER, null, PROXIED, true);
            }
            if ((now / ms(1)) % 200 == 0) {
                watch.request(BALANCER);
            }
            now += ms(1);
            assertThat(plan.noticed(now, signal)).as("%d ms after the signal", (now - signal) / ms(1)).isFalse();
        }
    }

    @Test
    void aClientsSteadyRequestsThatStopAtTheSignalDoNotEndTheDrain() {
        // Through HAProxy (checks every 2 s): 5 requests a second of real traffic and 30 of a
        // client's, which stops at the signal; the real ones go on until HAProxy has noticed.
        long end = now + ms(10_000);
        while (now < end) {
            if ((now / ms(1)) % 2_000 == 0) {
                watch.probe(BALANCER, null, CHECK, false);
            }
            if ((now / ms(1)) % 33 == 0 || (now / ms(1)) % 200 == 0) {
                watch.request(BALANCER);
            }
            now += ms(1);
        }
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(false).plan(signal);
        long markedDown = now + ms(4_100);
        while (now < markedDown) {
            if ((now / ms(1)) % 2_000 == 0) {
                watch.probe(BALANCER, null, CHECK, true);
            }
            if ((now / ms(1)) % 200 == 0) {
                watch.request(BALANCER);
            }
            now += ms(1);
            assertThat(plan.noticed(now, signal)).isFalse();
        }
        now += ms(500);
        assertThat(plan.noticed(now, signal)).as("three failed checks, then its requests stopped").isTrue();
    }

    @Test
    void aProbeForwardedByAProxyIsAClientsRequest() {
        assertThat(TrafficWatch.forwarded(java.util.List.of("Host", "X-Forwarded-For"))).isTrue();
        assertThat(TrafficWatch.forwarded(java.util.List.of("Via"))).isTrue();
        assertThat(TrafficWatch.forwarded(java.util.List.of("Host", "Accept"))).isFalse();
        assertThat(TrafficWatch.shape("HTTP/1.1", java.util.List.of("Host", "User-Agent", "Accept")))
                .isEqualTo("HTTP/1.1 with accept, host");
    }

    @Test
    void probersAreBoundedAndTheirNamesPrintable() {
        for (int i = 0; i < 1_000; i++) {
            probe(at(10, 1, i / 250, i % 250), "agent " + i, false);
            now += ms(1);
        }
        assertThat(watch.probers()).hasSize(TrafficWatch.MAX_PROBERS);
        assertThat(TrafficWatch.printable("evil\r\n{\"x\":1}" + "y".repeat(200))).hasSize(60).startsWith("evil??{\"x\":1}");
        assertThat(TrafficWatch.printable("")).isEqualTo("no User-Agent");
    }
}
