package io.cohort.engine;

import org.junit.jupiter.api.Test;

import static io.cohort.engine.SimNode.ms;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlDeliveryCheckerTest
{
    private static final long CALM = ms(2000);
    private static final long BOUND = PropagationLagChecker.boundNs();

    @Test
    void shouldFailANodeThatRefusedAControlMessageAtAnyTime()
    {
        final String violation = ControlDeliveryChecker.judge(1, 0, -1, -1, true, ms(1500));
        assertTrue(null != violation && violation.contains("refused 1 control message"), violation);
    }

    @Test
    void shouldLetControlWaitWhileFaultsLast()
    {
        assertNull(ControlDeliveryChecker.judge(0, 3, ms(100), -1, true, ms(1900)));
    }

    @Test
    void shouldFailControlHeldPastTheBoundOnceTheFaultsHealed()
    {
        assertNull(ControlDeliveryChecker.judge(0, 2, ms(100), CALM, true, CALM + BOUND), "at the bound");
        final String violation = ControlDeliveryChecker.judge(0, 2, ms(100), CALM, true, CALM + BOUND + 1);
        assertTrue(null != violation && violation.contains("has held 2 control message(s) unsent"), violation);
    }

    @Test
    void shouldCountFromWhenTheRecordWasQueuedIfThatWasAfterTheCalm()
    {
        assertNull(ControlDeliveryChecker.judge(0, 1, CALM + ms(30), CALM, true, CALM + ms(30) + BOUND));
    }

    @Test
    void shouldNotJudgeANodeThatIsNotRunning()
    {
        assertNull(ControlDeliveryChecker.judge(0, 1, ms(100), CALM, false, CALM + 10 * BOUND));
    }

    @Test
    void shouldPassAnEmptyLane()
    {
        assertNull(ControlDeliveryChecker.judge(0, 0, -1, CALM, true, CALM + 10 * BOUND));
    }
}
