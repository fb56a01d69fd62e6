package io.cohort.dist;

import io.cohort.test.JvmOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Install section shows the JVM flags an embedder must add: exactly the lines of jvm.options and
 * jvm-jdk24.options, the one place they are written. And the Quick start stays two commands.
 */
class InstallDocsTest
{
    private static String readme() throws IOException
    {
        return Files.readString(JvmOptions.root().resolve("README.md"), StandardCharsets.UTF_8);
    }

    private static String section(final String text, final String heading)
    {
        final int start = text.indexOf("\n## " + heading + "\n");
        assertTrue(start >= 0, "README.md has a section " + heading);
        final int end = text.indexOf("\n## ", start + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    private static List<String> blocks(final String section, final String language)
    {
        final List<String> blocks = new ArrayList<>();
        final String fence = "```" + language + "\n";
        for (int start = section.indexOf(fence); start >= 0; start = section.indexOf(fence, start + 1))
        {
            final int from = start + fence.length();
            blocks.add(section.substring(from, section.indexOf("```\n", from)));
        }
        return blocks;
    }

    private static List<String> flags(final String file) throws IOException
    {
        return JvmOptions.parse(Files.newBufferedReader(JvmOptions.root().resolve(file), StandardCharsets.UTF_8));
    }

    @Test
    void installSectionShouldShowTheFlagsOfTheArgumentFiles() throws IOException
    {
        final List<String> shown = blocks(section(readme(), "Install"), "text");
        assertEquals(2, shown.size(), "two flag blocks: every JDK, then JDK 24 and later");
        assertEquals(flags(JvmOptions.ALL_JDKS_FILE), JvmOptions.parse(new StringReader(shown.get(0))));
        assertEquals(flags(JvmOptions.JDK24_FILE), JvmOptions.parse(new StringReader(shown.get(1))));
    }

    @Test
    void installSectionShouldPointToTheOperationsGuide() throws IOException
    {
        assertTrue(section(readme(), "Install").contains("(docs/operations.md)"));
        final Path guide = JvmOptions.root().resolve("docs/operations.md");
        assertTrue(Files.isRegularFile(guide), guide.toString());
    }

    @Test
    void quickStartShouldStayTwoCommands() throws IOException
    {
        final List<String> shown = blocks(section(readme(), "Quick start"), "bash");
        assertEquals(1, shown.size());
        assertEquals(List.of("./cohort demo", "mvn -B verify"), shown.get(0).lines()
            .map((line) -> line.replaceAll("\\s+#.*$", "").trim()).filter((line) -> !line.isEmpty()).toList());
    }
}
