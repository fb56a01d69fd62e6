package io.cohort.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateContextTest
{
    @Test
    void shouldConcludeTheSmallContext()
    {
        final StateContext context = TestStates.smallContext().conclude();

        assertTrue(context.isConcluded());
        assertEquals(12 + 255 + 255 + 1024, context.maxRoomBytes());
    }

    @Test
    void shouldReadSystemPropertiesWithSizeSuffixes()
    {
        System.setProperty(StateConfiguration.MAX_ROOMS_PROP_NAME, "2k");
        System.setProperty(StateConfiguration.MAX_NODES_PROP_NAME, "3");
        try
        {
            final StateContext context = new StateContext();

            assertEquals(2048, context.maxRooms());
            assertEquals(3, context.maxNodes());
            assertEquals(StateConfiguration.MAX_CONNECTIONS_DEFAULT, context.maxConnections());
        }
        finally
        {
            System.clearProperty(StateConfiguration.MAX_ROOMS_PROP_NAME);
            System.clearProperty(StateConfiguration.MAX_NODES_PROP_NAME);
        }
    }

    @Test
    void shouldReadTheChroniclePosixChoiceAndNameABadOne()
    {
        assertTrue(new StateContext().chroniclePosix());
        System.setProperty(StateConfiguration.CHRONICLE_POSIX_PROP_NAME, "false");
        try
        {
            assertFalse(new StateContext().chroniclePosix());

            System.setProperty(StateConfiguration.CHRONICLE_POSIX_PROP_NAME, "maybe");
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, StateContext::new);
            assertTrue(ex.getMessage().contains("cohort.state.chronicle.posix=maybe"), ex.getMessage());
        }
        finally
        {
            System.clearProperty(StateConfiguration.CHRONICLE_POSIX_PROP_NAME);
        }
    }

    static Stream<Arguments> invalidContexts()
    {
        return Stream.of(
            invalid("localNodeId=0", c -> c.localNodeId(0)),
            invalid("cohort.state.max.rooms=0", c -> c.maxRooms(0)),
            invalid("cohort.state.max.connections=-1", c -> c.maxConnections(-1)),
            invalid("cohort.state.max.rooms.per.connection=0", c -> c.maxRoomsPerConnection(0)),
            invalid("cohort.state.max.rooms.per.connection=1048577", c -> c.maxRoomsPerConnection((1 << 20) + 1)),
            invalid("cohort.state.max.overflow.subscriptions=0", c -> c.maxOverflowSubscriptions(0)),
            invalid("cohort.state.max.filter.bytes=16385", c -> c.maxFilterBytes(16 * 1024 + 1)),
            invalid("cohort.state.max.filter.bytes=-1", c -> c.maxFilterBytes(-1)),
            invalid("cohort.state.average.room.bytes=11", c -> c.averageRoomBytes(11)),
            invalid("cohort.state.average.room.bytes=100000", c -> c.averageRoomBytes(100_000)),
            invalid("cohort.state.max.nodes=0", c -> c.maxNodes(0)),
            invalid("cohort.state.max.nodes=1025", c -> c.maxNodes(1025)),
            invalid("cohort.state.snapshot.frame.length=1000", c -> c.snapshotFrameLength(1000)),
            invalid("cohort.state.snapshot.frame.length=2097152", c -> c.snapshotFrameLength(2 * 1024 * 1024)));
    }

    private static Arguments invalid(final String expected, final UnaryOperator<StateContext> change)
    {
        return Arguments.of(expected, change);
    }

    @ParameterizedTest
    @MethodSource("invalidContexts")
    void shouldNameTheOffendingValue(final String expected, final UnaryOperator<StateContext> change)
    {
        final StateContext context = change.apply(TestStates.smallContext());

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, context::conclude);

        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }
}
