package io.cohort.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The module flags a node's JVM must be started with (the lines of {@code jvm.options}), checked before anything is
 * created: without them Agrona and Chronicle Map fail later, deep inside a launch, with an
 * {@link IllegalAccessError} that names neither the flag nor the file. A launch without them fails at once with the
 * list of missing flags.
 */
final class JvmRequirements
{
    /** How a package must be reachable from Cohort's (unnamed) module. */
    private enum Access
    {
        EXPORTS("--add-exports"),
        OPENS("--add-opens");

        private final String flag;

        Access(final String flag)
        {
            this.flag = flag;
        }
    }

    private record Requirement(String moduleName, String packageName, Access access)
    {
        String flag()
        {
            return access.flag + "=" + moduleName + "/" + packageName + "=ALL-UNNAMED";
        }
    }

    private static final List<Requirement> REQUIREMENTS = List.of(
        new Requirement("java.base", "java.lang", Access.OPENS),
        new Requirement("java.base", "java.lang.reflect", Access.OPENS),
        new Requirement("java.base", "java.util.zip", Access.OPENS),
        new Requirement("jdk.compiler", "com.sun.tools.javac.file", Access.EXPORTS),
        new Requirement("java.base", "jdk.internal.ref", Access.EXPORTS),
        new Requirement("java.base", "sun.nio.ch", Access.EXPORTS),
        new Requirement("java.base", "jdk.internal.misc", Access.EXPORTS));

    private JvmRequirements()
    {
    }

    /**
     * Fails if this JVM lacks a flag a node needs.
     *
     * @throws IllegalStateException naming every missing flag.
     */
    static void verify()
    {
        final List<String> missing = missingFlags(JvmRequirements.class.getModule());
        if (!missing.isEmpty())
        {
            throw new IllegalStateException("this JVM lacks flags that Cohort needs (they are the lines of " +
                "jvm.options; pass them as 'java @jvm.options ...' or add them to the JVM's options): " +
                String.join(" ", missing));
        }
    }

    /**
     * The flags that are missing for a module to reach what Agrona and Chronicle Map use.
     *
     * @param module the module that must reach the packages (the unnamed module of Cohort's class loader).
     * @return the missing flags, as they would be written on a java command line; empty when none is missing.
     */
    static List<String> missingFlags(final Module module)
    {
        final List<String> missing = new ArrayList<>();
        for (final Requirement requirement : REQUIREMENTS)
        {
            final Optional<Module> target = ModuleLayer.boot().findModule(requirement.moduleName());
            if (target.isEmpty())
            {
                // A runtime image without jdk.compiler cannot run Chronicle Map at all (it compiles classes at
                // run time): say so rather than suggest a flag that cannot work.
                missing.add(requirement.flag() + " (module " + requirement.moduleName() +
                    " is absent: run on a full JDK, not a trimmed runtime image)");
            }
            else if (!reachable(target.get(), requirement, module))
            {
                missing.add(requirement.flag());
            }
        }
        return missing;
    }

    private static boolean reachable(final Module target, final Requirement requirement, final Module module)
    {
        return Access.OPENS == requirement.access() ?
            target.isOpen(requirement.packageName(), module) :
            target.isExported(requirement.packageName(), module);
    }
}
