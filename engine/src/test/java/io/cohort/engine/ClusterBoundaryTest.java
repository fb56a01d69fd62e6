package io.cohort.engine;

import io.cohort.test.FreePorts;
import io.cohort.test.LoopbackCluster;
import io.cohort.transport.CounterType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where a cluster begins and ends, with real nodes on loopback in this JVM: another cluster name is refused with
 * nothing applied on either side, a member whose shared settings differ is refused naming the setting, a seed that
 * resolves only later is joined, and N nodes started together with {@code cohort.cluster.expected.nodes=N} make one
 * cluster.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClusterBoundaryTest
{
    private static final byte[] FILTER = { 7 };

    @RegisterExtension
    final LoopbackCluster<CohortNode> nodes = LocalNodes.cluster();

    private CohortContext context(final long nodeId, final String seeds)
    {
        return LocalNodes.context(nodes.directory(), nodeId, seeds);
    }

    private CohortNode launch(final CohortContext context)
    {
        return nodes.add(Cohort.launch(context));
    }

    private CohortNode runningFounder(final String clusterName) throws InterruptedException
    {
        final CohortNode founder = launch(context(1, "").clusterName(clusterName));
        assertTrue(founder.awaitState(NodeState.RUNNING, 20, TimeUnit.SECONDS), founder.state().toString());
        assertEquals(CallResult.ACCEPTED, founder.createRoom("index", "collection", FILTER));
        LocalNodes.await("room created", () -> founder.roomExists(CohortNode.roomId("index", "collection", FILTER)));
        return founder;
    }

    @Test
    void shouldRefuseAJoinFromAnotherClusterWithNothingAppliedOnEitherSide() throws InterruptedException
    {
        final CohortNode alpha = runningFounder("alpha");
        final CohortNode beta = launch(context(2, LocalNodes.seedOf(alpha)).clusterName("beta")
            .joinTimeoutNs(TimeUnit.SECONDS.toNanos(4)));

        assertTrue(beta.awaitState(NodeState.CLOSED, 30, TimeUnit.SECONDS), "the join fails: " + beta.state());
        final String failure = beta.failure();
        assertTrue(failure.contains("is of cluster alpha, this node of cluster beta (cohort.cluster.name differs)"),
            failure);
        assertTrue(alpha.counter(CounterType.FOREIGN_CLUSTER_FRAMES) > 0, "alpha counted beta's join requests");
        assertTrue(beta.counter(CounterType.FOREIGN_CLUSTER_FRAMES) > 0, "beta counted alpha's refusals");

        assertEquals(0, alpha.members().length, "alpha let nobody in");
        assertEquals(0, beta.members().length, "beta subscribed to nobody");
        assertTrue(!beta.roomExists(CohortNode.roomId("index", "collection", FILTER)), "nothing of alpha reached beta");
        assertEquals(NodeState.RUNNING, alpha.state());
    }

    @Test
    void shouldRefuseAJoinWhoseHeartbeatSettingsDifferNamingTheSetting() throws InterruptedException
    {
        final CohortNode member = runningFounder("cohort");
        // The lag bound must be at least the heartbeat timeout: raised with it, so that the node launches.
        final CohortNode joiner = launch(context(2, LocalNodes.seedOf(member))
            .heartbeatTimeoutNs(TimeUnit.SECONDS.toNanos(10)).flowLaggingAfterNs(TimeUnit.SECONDS.toNanos(10))
            .joinTimeoutNs(TimeUnit.SECONDS.toNanos(4)));

        assertTrue(joiner.awaitState(NodeState.CLOSED, 30, TimeUnit.SECONDS), "the join fails: " + joiner.state());
        assertTrue(joiner.failure().contains("refused this node's settings: cohort.heartbeat.timeout=3s there, 10s " +
            "here (more than 2x apart)"), joiner.failure());
        assertEquals(0, member.members().length);
        assertTrue(!joiner.roomExists(CohortNode.roomId("index", "collection", FILTER)));
    }

    @Test
    void shouldJoinASeedWhoseNameResolvesOnlyLater() throws InterruptedException
    {
        final CohortNode member = runningFounder("cohort");
        final String port = LocalNodes.seedOf(member).substring(LocalNodes.seedOf(member).lastIndexOf(':') + 1);
        final AtomicBoolean listed = new AtomicBoolean();
        final AtomicInteger lookups = new AtomicInteger();
        final SeedResolver headlessService = (host) ->
        {
            lookups.incrementAndGet();
            if (!"cohort.test.svc".equals(host) || !listed.get())
            {
                throw new UnknownHostException(host + ": not listed yet");
            }
            return new InetAddress[]{ InetAddress.getByName("127.0.0.1") };
        };
        final CohortNode joiner = launch(context(2, "cohort.test.svc:" + port).seedResolver(headlessService)
            .seedsResolveIntervalNs(TimeUnit.MILLISECONDS.toNanos(100)).joinTimeoutNs(TimeUnit.SECONDS.toNanos(30)));

        LocalNodes.await("several lookups while unlisted", () -> lookups.get() >= 5);
        assertEquals(NodeState.JOINING, joiner.state(), "a node whose seeds do not resolve never founds alone");
        listed.set(true);

        assertTrue(joiner.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS), joiner.state() + " " + joiner.failure());
        LocalNodes.await("one cluster of two", () -> 1 == joiner.members().length && 1 == member.members().length);
        LocalNodes.await("the member's room reached the joiner",
            () -> joiner.roomExists(CohortNode.roomId("index", "collection", FILTER)));
    }

    @Test
    void shouldFoundOneClusterFromASimultaneousStartOnlyOnceEveryExpectedNodeAnswers() throws InterruptedException
    {
        final int[] ports = FreePorts.loopback(6);
        final String seeds = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[2] + ",127.0.0.1:" + ports[4];
        final CohortNode[] started = new CohortNode[3];
        for (int i = 1; i < 3; i++)
        {
            started[i] = launch(expecting(i, seeds, ports));
        }
        // Two of three answer each other: under the default rule they would found; expecting three, they wait.
        Thread.sleep(2 * TimeUnit.NANOSECONDS.toMillis(new CohortContext().commandTimeoutNs()) + 1000);
        assertEquals(NodeState.JOINING, started[1].state());
        assertEquals(NodeState.JOINING, started[2].state());

        started[0] = launch(expecting(0, seeds, ports));
        for (final CohortNode node : started)
        {
            assertTrue(node.awaitState(NodeState.RUNNING, 30, TimeUnit.SECONDS), node.state() + " " + node.failure());
        }
        LocalNodes.await("one cluster of three", () -> 2 == started[0].members().length &&
            2 == started[1].members().length && 2 == started[2].members().length);
    }

    private CohortContext expecting(final int index, final String seeds, final int[] ports)
    {
        final CohortContext context = context(10 + index, seeds).expectedNodes(3)
            .joinTimeoutNs(TimeUnit.SECONDS.toNanos(40));
        context.transportContext().commandPort(ports[2 * index]).syncPort(ports[2 * index + 1]);
        return context;
    }
}
