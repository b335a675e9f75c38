package dev.skiff.http.internal;

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
                watch.probe(from, agent, draining);
                nextProbe += ms(probeEvery);
            }
            if (now >= nextRequest) {
                watch.request(from);
                nextRequest += ms(requestEvery);
            }
            now += ms(1);
        }
    }

    private TrafficAwareDrain drain(boolean kubernetes) {
        return new TrafficAwareDrain(watch, kubernetes ? Duration.ofSeconds(5) : Duration.ZERO,
                kubernetes ? "Kubernetes" : "an unknown platform", kubernetes);
    }

    @Test
    void aBalancerWhoseRequestsWereSteadyHasNoticedWhenTheyStop() {
        run(3_000, 200, 5, BALANCER, null, false);
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(false).plan(signal);
        assertThat(plan.parties()).singleElement().satisfies(party -> assertThat(party.describe(signal))
                .startsWith("readiness probed every 200 ms by 127.0.0.1 (no User-Agent)"));

        // Fall 3 at 200 ms: the balancer routes here until its third failed probe, 600 ms on.
        run(600, 200, 5, BALANCER, null, true);
        assertThat(plan.noticed(now, signal)).as("requests still came a moment ago").isFalse();
        long stopped = now;
        run(350, 200, 0, BALANCER, null, true);
        assertThat(plan.noticed(now, signal)).as("350 ms of quiet could be chance").isFalse();
        run(60, 0, 0, BALANCER, null, true);
        assertThat(plan.noticed(now, signal)).isTrue();
        assertThat(now - stopped).isLessThan(ms(450));
        assertThat(plan.parties().getFirst().describe(signal)).contains("its requests stopped 595 ms after SIGTERM")
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
    void withoutRequestsThreeFailedProbesAreNeeded() {
        run(5_000, 1_000, 0, REMOTE_BALANCER, null, false);
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(false).plan(signal);
        run(2_050, 1_000, 0, REMOTE_BALANCER, null, true);
        assertThat(plan.noticed(now, signal)).as("three probes answered 503, the last 50 ms ago").isFalse();
        run(100, 0, 0, BALANCER, null, true);
        assertThat(plan.noticed(now, signal)).isTrue();
    }

    @Test
    void aBalancerThatStopsProbingIsWaitedForThreeAndAHalfIntervals() {
        run(5_000, 1_000, 0, REMOTE_BALANCER, null, false);
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
                .isEqualTo("probes every 30000 ms by 127.0.0.1 (curl/8.5.0), which sent no request in the last minute:"
                        + " a monitor, not a balancer");
        assertThat(plan.parties()).singleElement().satisfies(party -> assertThat(party.describe(now))
                .startsWith("requests from other machines"));
    }

    @Test
    void oneProbeThenAFewRequestsIsAScriptNotABalancer() {
        watch.probe(BALANCER, "python-urllib/3.11", false);
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
        assertThat(plan.ignored()).singleElement().asString().startsWith("the kubelet at 10.0.0.1 (kube-probe/1.31)");
        assertThat(plan.parties()).singleElement().satisfies(party -> assertThat(party.describe(signal))
                .startsWith("requests from this machine"));
    }

    @Test
    void requestsFromElsewhereWithNoProberMustStop() {
        run(3_000, 0, 50, ELSEWHERE, null, false);
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(false).plan(signal);
        assertThat(plan.parties()).singleElement().satisfies(party -> assertThat(party.describe(signal))
                .startsWith("requests from other machines"));
        run(1_000, 0, 50, ELSEWHERE, null, true);
        assertThat(plan.noticed(now, signal)).isFalse();
        now += ms(200);
        assertThat(plan.noticed(now, signal)).as("thrice the longest gap, 100 ms, is 300 ms").isFalse();
        now += ms(60);
        assertThat(plan.noticed(now, signal)).isTrue();
    }

    @Test
    void probesByHandAreNotABalancer() {
        watch.probe(BALANCER, "curl/8.5.0", false);
        now += ms(20_000);
        watch.probe(BALANCER, "curl/8.5.0", false);
        now += ms(60_000);
        assertThat(drain(false).plan(now).parties()).as("stopped probing a minute ago").isEmpty();

        watch.probe(BALANCER, "Wget/1.21", false);
        now += ms(100);
        assertThat(drain(false).plan(now).parties()).as("once, and no request since").isEmpty();
    }

    @Test
    void oneProbeFollowedByRequestsIsABalancerThatHasJustBegun() {
        watch.probe(BALANCER, null, false);
        run(2_500, 0, 5, BALANCER, null, false);
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(false).plan(signal);
        assertThat(plan.parties()).singleElement().satisfies(party -> assertThat(party.describe(signal))
                .startsWith("readiness probed once so far by 127.0.0.1 (no User-Agent)"));
        run(1_000, 0, 5, BALANCER, null, true);
        now += ms(450);
        assertThat(plan.noticed(now, signal)).as("its steady requests stopped").isTrue();
    }

    @Test
    void aProbeByHandFromTheBalancersAddressIsExplainedByTheBalancer() {
        watch.probe(BALANCER, "curl/8.5.0", false);
        run(3_000, 200, 5, BALANCER, null, false);
        assertThat(drain(false).plan(now).parties()).hasSize(1);
    }

    @Test
    void aClientProbingUnderEverNewNamesCannotPushTheBalancerOut() {
        run(2_000, 200, 5, BALANCER, null, false);
        for (int i = 0; i < 1_000; i++) {
            watch.probe(i % 2 == 0 ? BALANCER : at(10, 2, i / 250, i % 250), "agent " + i, false);
        }
        run(1_000, 200, 5, BALANCER, null, false);
        assertThat(watch.probers()).hasSizeLessThanOrEqualTo(TrafficWatch.MAX_PROBERS)
                .filteredOn(prober -> prober.address.equals(BALANCER.getAddress())).hasSizeLessThanOrEqualTo(4);
        assertThat(drain(false).plan(now).parties()).singleElement().satisfies(party -> assertThat(party.describe(now))
                .startsWith("readiness probed every 200 ms by 127.0.0.1 (no User-Agent)"));
    }

    @Test
    void requestsFromTheAddressOfAProberNotWaitedForStillCount() {
        // A deploy script once probed from the host whose nginx (which never probes) sends requests.
        for (int i = 0; i < 5; i++) {
            watch.probe(ELSEWHERE, "curl/8.5.0", false);
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
    void aRemoteMonitorIsNotABalancerWhenTheRequestsComeFromElsewhere() {
        for (int i = 0; i < 3; i++) {
            watch.probe(ELSEWHERE, "UptimeRobot/2.0", false);
            run(60_000, 0, 0, ELSEWHERE, null, false);
        }
        run(3_000, 200, 5, REMOTE_BALANCER, null, false);
        TrafficAwareDrain.Plan plan = drain(false).plan(now);
        assertThat(plan.ignored()).singleElement().asString().startsWith("probes every 60000 ms by 10.0.0.7 (UptimeRobot/2.0)");
        assertThat(plan.parties()).singleElement().satisfies(party -> assertThat(party.describe(now))
                .startsWith("readiness probed every 200 ms by 10.0.0.9"));
    }

    @Test
    void twoChecksInterleavedAtOneAddressAreWaitedForByTheirOwnPeriod() {
        // One HAProxy, the service in two backends: two checks every 2 s each, 300 ms apart.
        for (int i = 0; i < 4; i++) {
            watch.probe(REMOTE_BALANCER, null, false);
            now += ms(300);
            watch.probe(REMOTE_BALANCER, null, false);
            now += ms(1_700);
        }
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(false).plan(signal);
        assertThat(plan.parties()).hasSize(1);
        for (int i = 0; i < 2; i++) {
            watch.probe(REMOTE_BALANCER, null, true);
            now += ms(300);
            watch.probe(REMOTE_BALANCER, null, true);
            now += ms(1_700);
        }
        assertThat(plan.noticed(now, signal)).as("four 503s, but only two for each check").isFalse();
        now += ms(3_200);
        assertThat(plan.noticed(now, signal)).isTrue();
    }

    @Test
    void oneLongPauseBetweenProbesIsNotASecondRhythm() {
        for (int i = 0; i < 8; i++) {
            watch.probe(REMOTE_BALANCER, null, false);
            now += ms(i == 4 ? 2_500 : 1_000);
        }
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(false).plan(signal);
        run(2_050, 1_000, 0, REMOTE_BALANCER, null, true);
        now += ms(100);
        assertThat(plan.noticed(now, signal)).as("three probes answered 503 on its cadence").isTrue();
    }

    @Test
    void failedProbesFasterThanTheBalancersCadenceDoNotCountItsThresholdDown() {
        // A client through the balancer arrives from its address, with no User-Agent either.
        run(5_000, 1_000, 0, REMOTE_BALANCER, null, false);
        long signal = now;
        TrafficAwareDrain.Plan plan = drain(false).plan(signal);
        for (int i = 0; i < 10; i++) {
            watch.probe(REMOTE_BALANCER, null, true);
            now += ms(20);
        }
        now += ms(200);
        assertThat(plan.noticed(now, signal)).isFalse();
    }

    @Test
    void probersAreBoundedAndTheirNamesPrintable() {
        for (int i = 0; i < 1_000; i++) {
            watch.probe(at(10, 1, i / 250, i % 250), "agent " + i, false);
            now += ms(1);
        }
        assertThat(watch.probers()).hasSize(TrafficWatch.MAX_PROBERS);
        assertThat(TrafficWatch.printable("evil\r\n{\"x\":1}" + "y".repeat(200))).hasSize(60).startsWith("evil??{\"x\":1}");
        assertThat(TrafficWatch.printable("")).isEqualTo("no User-Agent");
    }
}
