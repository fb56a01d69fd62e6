import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Build step of cohort-state, run by Maven at process-classes as a single-file program: generates, with the very
 * generator Chronicle Values runs at start, the native classes of the value interfaces Chronicle Map itself uses,
 * and compiles them into the module's classes. Chronicle Values loads a class of the generated name before it
 * generates one, so a node's start finds them instead of running javac (about 0.8 s of every start, measured).
 * Nothing of it is hand written: an upgrade of Chronicle regenerates them at the next build.
 * <p>
 * Usage: {@code java @jvm.options -cp <the module's class path> GenerateChronicleClasses.java <classes dir>
 * <release> <value interface>...}
 */
public final class GenerateChronicleClasses
{
    private GenerateChronicleClasses()
    {
    }

    /**
     * @param args the classes directory, the Java release, then the value interfaces' class names.
     * @throws Exception if a class cannot be generated or compiled: the build fails, naming it.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path classes = Paths.get(args[0]);
        final String release = args[1];
        final Path sources = Files.createTempDirectory("cohort-chronicle-sources");
        final Class<?> modelClass = Class.forName("net.openhft.chronicle.values.ValueModel");
        final Method acquire = modelClass.getMethod("acquire", Class.class);
        final Method generate = Class.forName("net.openhft.chronicle.values.Generators")
            .getDeclaredMethod("generateNativeClass", modelClass, String.class);
        generate.setAccessible(true);
        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        for (int i = 2; i < args.length; i++)
        {
            final Class<?> type = Class.forName(args[i]);
            final String simpleName = type.getSimpleName() + "$$Native";
            final String source = (String)generate.invoke(null, acquire.invoke(null, type), simpleName);
            final Path file = sources.resolve(type.getPackageName().replace('.', '/')).resolve(simpleName + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source, StandardCharsets.UTF_8);
            final int status = javac.run(null, null, null, List.of("--release", release, "-proc:none", "-nowarn",
                "-cp", System.getProperty("java.class.path"), "-d", classes.toString(), file.toString())
                .toArray(new String[0]));
            if (0 != status)
            {
                throw new IllegalStateException("javac failed (" + status + ") on the native class of " + type);
            }
            System.out.println("generated " + type.getPackageName() + "." + simpleName);
        }
    }
}
