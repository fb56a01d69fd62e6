package io.cohort.examples.gateway;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GatewayContextTest
{
    @Test
    void shouldRefuseAnUnknownGatewaySettingNamingTheClosestOne()
    {
        System.setProperty("gateway.prot", "8081");
        try
        {
            final IllegalArgumentException ex =
                assertThrows(IllegalArgumentException.class, () -> new GatewayContext().conclude());
            assertEquals("unknown setting gateway.prot=8081 (system property): did you mean gateway.port?",
                ex.getMessage());
        }
        finally
        {
            System.clearProperty("gateway.prot");
        }
        new GatewayContext().conclude();
    }
}
