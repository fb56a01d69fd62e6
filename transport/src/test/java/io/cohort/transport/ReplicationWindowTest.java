package io.cohort.transport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicationWindowTest
{
    private static final long MS = 1_000_000L;
    private static final long WINDOW = 1000;
    private static final int FRAMES = 8;
    private static final long UNTETHER_AFTER_NS = 100 * MS;
    private static final long A = 0xA;
    private static final long B = 0xB;

    private final ReplicationWindow window = new ReplicationWindow(WINDOW, FRAMES, UNTETHER_AFTER_NS, 4);
    private long nowNs = 1_000 * MS;
    private long sequence;

    /** Sends one frame of {@code messages} messages and {@code bytes} bytes; returns its last sequence. */
    private long send(final int messages, final int bytes)
    {
        sequence += messages;
        window.onBroadcastSent(sequence, bytes);
        return sequence;
    }

    @Test
    void shouldStayOpenWithoutTetheredReplica()
    {
        for (int i = 0; i < 100; i++)
        {
            send(1, 500);
        }
        assertTrue(window.isOpen());
        assertEquals(0, window.bytesInFlight());
    }

    @Test
    void shouldCloseAtWindowBytesAndReopenOnStatus()
    {
        assertTrue(window.onStatus(A, 0, nowNs));
        assertTrue(window.isTethered(A));
        send(3, 400);
        final long second = send(3, 400);
        assertTrue(window.isOpen(), "800 bytes in flight < 1000");
        send(3, 200);
        assertFalse(window.isOpen(), "1000 bytes in flight: closed");
        assertEquals(1000, window.bytesInFlight());
        assertEquals(1, window.closings());

        window.onStatus(A, second - 1, nowNs);
        assertEquals(400, window.position(A), "a status inside the second frame applies only the first in full");
        assertTrue(window.isOpen());
        assertEquals(600, window.bytesInFlight());
        window.onStatus(A, second, nowNs);
        assertTrue(window.isOpen());
        assertEquals(200, window.bytesInFlight());
    }

    @Test
    void shouldCloseAtTheFrameCap()
    {
        window.onStatus(A, 0, nowNs);
        for (int i = 0; i < FRAMES - 1; i++)
        {
            send(1, 10);
        }
        assertTrue(window.isOpen());
        final long last = send(1, 10);
        assertFalse(window.isOpen(), "8 frames of 10 bytes: the frame cap closes it long before the byte window");
        window.onStatus(A, last - FRAMES + 1, nowNs);
        assertTrue(window.isOpen());
    }

    @Test
    void shouldFollowTheSlowestTetheredReplica()
    {
        window.onStatus(A, 0, nowNs);
        window.onStatus(B, 0, nowNs);
        final long first = send(1, 600);
        send(1, 600);
        assertFalse(window.isOpen());
        window.onStatus(A, sequence, nowNs);
        assertFalse(window.isOpen(), "B still holds it");
        window.onStatus(B, first, nowNs);
        assertTrue(window.isOpen());
        assertEquals(600, window.bytesInFlight());
        assertTrue(window.removeReplica(B));
        assertEquals(0, window.bytesInFlight(), "A applied everything");
    }

    @Test
    void shouldUntetherAReplicaHoldingTheWindowClosedPastTheBoundThenTetherItAgain()
    {
        window.onStatus(A, 0, nowNs);
        window.onStatus(B, 0, nowNs);
        window.tick(nowNs);
        send(1, 700);
        send(1, 700);
        window.onStatus(A, sequence, nowNs);
        assertFalse(window.isOpen());

        window.tick(nowNs);
        nowNs += UNTETHER_AFTER_NS - 1;
        assertEquals(0, window.tick(nowNs));
        assertFalse(window.isOpen(), "99.999999 ms: still tethered");
        nowNs += 1;
        assertEquals(1, window.tick(nowNs));
        assertFalse(window.isTethered(B));
        assertTrue(window.isTethered(A));
        assertEquals(1, window.untetherings());
        assertTrue(window.isOpen(), "only A counts now");

        for (int i = 0; i < 4; i++)
        {
            final long last = send(1, 300);
            window.onStatus(A, last, nowNs);
        }
        assertTrue(window.isOpen());
        window.onStatus(B, sequence - 2, nowNs);
        assertFalse(window.isTethered(B), "600 bytes behind: more than half a window");
        window.onStatus(B, sequence - 1, nowNs);
        assertTrue(window.isTethered(B), "300 bytes behind: within half a window");
        assertEquals(300, window.bytesInFlight());
        assertEquals(3, window.tetherings());
    }

    @Test
    void shouldCountTimeBehindFromTheFirstTickHoldingTheWindowClosedUntilTetheredAgain()
    {
        window.onStatus(A, 0, nowNs);
        window.onStatus(B, 0, nowNs);
        window.tick(nowNs);
        assertEquals(0, window.behindNsOf(B, nowNs));
        send(1, 700);
        send(1, 700);
        window.onStatus(A, sequence, nowNs);
        final long closedAtNs = nowNs;
        window.tick(nowNs);
        nowNs += 40 * MS;
        window.tick(nowNs);
        assertEquals(40 * MS, window.behindNsOf(B, nowNs), "tethered and holding the window closed for 40 ms");
        assertEquals(0, window.behindNsOf(A, nowNs));

        nowNs = closedAtNs + UNTETHER_AFTER_NS;
        assertEquals(1, window.tick(nowNs));
        assertFalse(window.isTethered(B));
        // Untethered, B no longer holds the window, but it stays behind: the clock keeps running from the close.
        for (int i = 0; i < 10; i++)
        {
            nowNs += 500 * MS;
            window.tick(nowNs);
            window.onStatus(A, send(1, 300), nowNs);
            assertTrue(window.isOpen());
        }
        assertEquals(nowNs - closedAtNs, window.behindNsOf(B, nowNs), "5.1 s behind, counted from the close");
        window.onStatus(B, sequence - 2, nowNs);
        assertEquals(nowNs - closedAtNs, window.behindNsOf(B, nowNs), "600 bytes behind: still more than half");
        window.onStatus(B, sequence, nowNs);
        assertTrue(window.isTethered(B));
        assertEquals(0, window.behindNsOf(B, nowNs), "caught up: tethered, no longer behind");
        nowNs += 10 * MS;
        window.tick(nowNs);
        assertEquals(0, window.behindNsOf(B, nowNs));
        assertEquals(-1, window.behindNsOf(0xC, nowNs), "not tracked");
    }

    @Test
    void shouldKeepCountingWhileATetheredReplicaKeepsTheWindowClosedAFrameAtATime()
    {
        window.onStatus(A, 0, nowNs);
        window.onStatus(B, 0, nowNs);
        // B applies one frame per 10 ms while the owner sends whenever the window is open: it reopens the window
        // on each status, never closed for 100 ms on end, so B stays tethered and sets the pace.
        final long firstClosedNs = nowNs;
        long appliedByB = 0;
        for (int i = 0; i < 300; i++)
        {
            while (window.isOpen())
            {
                window.onStatus(A, send(1, 100), nowNs);
            }
            window.tick(nowNs);
            nowNs += 10 * MS;
            appliedByB++;
            window.onStatus(B, appliedByB, nowNs);
            window.tick(nowNs);
        }
        assertTrue(window.isTethered(B), "never closed for the untether bound on end");
        assertEquals(0, window.untetherings());
        assertEquals(nowNs - firstClosedNs, window.behindNsOf(B, nowNs), "3 s behind, never within half a window");
        assertEquals(0, window.behindNsOf(A, nowNs));

        assertTrue(window.untether(B), "the owner's lag bound lets go of it");
        assertFalse(window.untether(B), "already untethered");
        assertFalse(window.untether(0xC), "not tracked");
        assertEquals(1, window.untetherings());
        assertEquals(B, window.lastUntetheredId());
        assertTrue(window.isOpen(), "A alone sets the pace");
        assertEquals(nowNs - firstClosedNs, window.behindNsOf(B, nowNs), "still behind");

        window.onStatus(B, sequence, nowNs);
        assertEquals(0, window.behindNsOf(B, nowNs), "caught up");
        assertTrue(window.isTethered(B));
    }

    @Test
    void shouldCountTimeBehindFromAFirstStatusAlreadyBeyondHalfAWindowAndForgetItWithTheReplica()
    {
        for (int i = 0; i < FRAMES * 3; i++)
        {
            send(1, 10);
        }
        window.onStatus(A, 1, nowNs);
        assertFalse(window.isTethered(A));
        final long firstStatusNs = nowNs;
        nowNs += 2_000 * MS;
        window.tick(nowNs);
        assertEquals(nowNs - firstStatusNs, window.behindNs(0, nowNs));
        assertTrue(window.removeReplica(A));
        window.onStatus(A, sequence, nowNs);
        assertTrue(window.isTethered(A));
        assertEquals(0, window.behindNsOf(A, nowNs + 1_000 * MS), "a replica tracked again starts afresh");
    }

    @Test
    void shouldNotUntetherWhileTheWindowIsOpenOrTheReplicaKeepsUp()
    {
        window.onStatus(A, 0, nowNs);
        send(1, 900);
        for (int i = 0; i < 10; i++)
        {
            nowNs += 50 * MS;
            assertEquals(0, window.tick(nowNs));
        }
        assertTrue(window.isTethered(A));

        send(1, 900);
        assertFalse(window.isOpen());
        window.tick(nowNs);
        nowNs += 60 * MS;
        window.tick(nowNs);
        window.onStatus(A, sequence - 1, nowNs);
        assertTrue(window.isOpen());
        window.tick(nowNs);
        send(1, 900);
        nowNs += 60 * MS;
        window.tick(nowNs);
        assertTrue(window.isTethered(A), "closed twice for 60 ms, never 100 ms on end");
    }

    @Test
    void shouldMeasureLagFromTheFirstFrameNotApplied()
    {
        window.onStatus(A, 0, nowNs);
        window.tick(nowNs);
        final long first = send(1, 10);
        nowNs += 5 * MS;
        window.tick(nowNs);
        send(1, 10);
        nowNs += 5 * MS;
        window.tick(nowNs);
        send(1, 10);
        nowNs += 5 * MS;
        assertEquals(15 * MS, window.lagNs(A, nowNs));
        window.onStatus(A, first, nowNs);
        assertEquals(10 * MS, window.lagNs(A, nowNs));
        window.onStatus(A, sequence, nowNs);
        assertEquals(0, window.lagNs(A, nowNs));
        assertEquals(-1, window.lagNs(B, nowNs));
        assertEquals(0, window.maxLagNs(nowNs));
    }

    @Test
    void shouldNotTetherAReplicaBehindEveryFrameRemembered()
    {
        for (int i = 0; i < FRAMES * 3; i++)
        {
            send(1, 10);
        }
        window.onStatus(A, 1, nowNs);
        assertFalse(window.isTethered(A));
        assertEquals(ReplicationWindow.UNKNOWN_POSITION, window.position(A));
        assertTrue(window.isOpen());
        window.onStatus(A, sequence, nowNs);
        assertTrue(window.isTethered(A));
    }

    @Test
    void shouldIgnoreAStatusOlderThanOneSeen()
    {
        window.onStatus(A, 0, nowNs);
        send(1, 100);
        final long second = send(1, 100);
        assertTrue(window.onStatus(A, second, nowNs));
        assertFalse(window.onStatus(A, second - 1, nowNs));
        assertEquals(200, window.position(A));
    }
}
