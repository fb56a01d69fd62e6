package io.cohort.engine;

import io.cohort.state.StateContext;
import io.cohort.state.SubscriptionState;
import net.openhft.posix.PosixAPI;

/**
 * A child JVM of {@link ChroniclePosixTest}: creates a node's off-heap state as a standalone process
 * ({@code standalone}) or an embedding application (anything else) would configure it, then prints the POSIX
 * binding Chronicle holds, as {@code binding=<class>}, and for a no-op binding the reason it gives. A node process
 * outside JUnit: Chronicle loads its binding eagerly only where no thread runs JUnit.
 */
public final class ChroniclePosixProbe
{
    private ChroniclePosixProbe()
    {
    }

    /**
     * @param args {@code standalone} or {@code embedded}.
     */
    public static void main(final String[] args)
    {
        final CohortContext context = new CohortContext();
        if ("standalone".equals(args[0]))
        {
            StandaloneProcess.standaloneDefaults(context);
        }
        final StateContext stateContext = context.stateContext().localNodeId(1).maxRooms(1024).maxConnections(1024);
        try (SubscriptionState ignored = new SubscriptionState(stateContext, (room, previous, current) -> {}))
        {
            final PosixAPI binding = PosixAPI.posix();
            String reason = "";
            try
            {
                binding.getpid(); // a no-op binding says why it is one
            }
            catch (final RuntimeException ex)
            {
                reason = " (" + ex.getMessage() + ")";
            }
            System.out.println("binding=" + binding.getClass().getSimpleName() + reason);
        }
    }
}
