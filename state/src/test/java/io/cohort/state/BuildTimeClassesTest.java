package io.cohort.state;

import net.openhft.chronicle.hash.VanillaGlobalMutableState;
import net.openhft.chronicle.values.Values;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The build compiles the native class of Chronicle Map's global state into this module
 * ({@code src/build/GenerateChronicleClasses.java}): Chronicle must take that class, not compile its own with javac
 * at a node's start. Fails if the build step is lost or Chronicle stops loading a class of the generated name.
 */
class BuildTimeClassesTest
{
    @Test
    void shouldGiveChronicleTheNativeClassCompiledAtBuildTime() throws Exception
    {
        final Class<?> built = Class.forName("net.openhft.chronicle.hash.VanillaGlobalMutableState$$Native");
        assertNotNull(built.getProtectionDomain().getCodeSource());
        assertEquals(built, Values.nativeClassFor(VanillaGlobalMutableState.class),
            "Chronicle Values took the build's class");
    }
}
