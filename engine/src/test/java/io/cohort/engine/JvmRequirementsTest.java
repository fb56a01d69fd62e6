package io.cohort.engine;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JvmRequirementsTest
{
    @Test
    void shouldPassUnderTheFlagsOfJvmOptions()
    {
        // Surefire starts this JVM with @jvm.options: nothing may be missing.
        assertEquals(List.of(), JvmRequirements.missingFlags(JvmRequirements.class.getModule()));
        assertDoesNotThrow(JvmRequirements::verify);
    }

    @Test
    void shouldNameEveryFlagAModuleWithoutThemLacks()
    {
        // A named module in a layer of its own has none of the command line's ALL-UNNAMED grants.
        final ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(
            ModuleLayer.boot().configuration().resolve(emptyFinder(), ModuleFinder.of(), Set.of("cohort.probe")),
            ClassLoader.getSystemClassLoader());
        final Module probe = layer.findModule("cohort.probe").orElseThrow();

        final List<String> missing = JvmRequirements.missingFlags(probe);

        assertEquals(7, missing.size(), missing.toString());
        assertTrue(missing.contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"), missing.toString());
        assertTrue(missing.contains("--add-opens=java.base/java.lang=ALL-UNNAMED"), missing.toString());
    }

    private static ModuleFinder emptyFinder()
    {
        final ModuleDescriptor descriptor = ModuleDescriptor.newModule("cohort.probe").build();
        final ModuleReference reference = new ModuleReference(descriptor, null)
        {
            @Override
            public ModuleReader open()
            {
                return new ModuleReader()
                {
                    @Override
                    public Optional<URI> find(final String name)
                    {
                        return Optional.empty();
                    }

                    @Override
                    public Stream<String> list()
                    {
                        return Stream.empty();
                    }

                    @Override
                    public void close()
                    {
                    }
                };
            }
        };
        return new ModuleFinder()
        {
            @Override
            public Optional<ModuleReference> find(final String name)
            {
                return descriptor.name().equals(name) ? Optional.of(reference) : Optional.empty();
            }

            @Override
            public Set<ModuleReference> findAll()
            {
                return Set.of(reference);
            }
        };
    }
}
