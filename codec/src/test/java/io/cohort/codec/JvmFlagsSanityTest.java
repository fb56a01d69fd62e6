package io.cohort.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JvmFlagsSanityTest
{
    @Test
    void shouldRunAgronaWithTheSharedJvmFlags()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        buffer.putLongRelease(8, 42L);
        assertEquals(42L, buffer.getLongVolatile(8));
        assertEquals("true", System.getProperty("chronicle.analytics.disable"));
    }
}
