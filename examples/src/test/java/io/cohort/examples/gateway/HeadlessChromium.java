package io.cohort.examples.gateway;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real headless Chromium (Debian's {@code chromium}, installed by {@code scripts/install-chromium.sh}) driven over
 * the Chrome DevTools Protocol with the JDK's WebSocket client: no WebDriver, no extra dependency. A test opens
 * pages, runs JavaScript in them and reads the answers; the browser process is ended by its own pid.
 */
final class HeadlessChromium implements AutoCloseable
{
    private static final Pattern DEVTOOLS_URL = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final long COMMAND_TIMEOUT_MS = 10_000;

    private final Process process;
    private final File profile;
    private final WebSocket socket;
    private final AtomicInteger nextId = new AtomicInteger();
    private final Map<Integer, CompletableFuture<String>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(final Process process, final File profile, final WebSocket socket)
    {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /**
     * The browser's path: installs it with the project's script when it is missing (CI is root).
     *
     * @param root the repository's root, where {@code scripts/} is.
     * @return the executable.
     */
    static String executable(final File root) throws IOException, InterruptedException
    {
        final Process install = new ProcessBuilder("bash", new File(root, "scripts/install-chromium.sh").getPath())
            .redirectErrorStream(true).start();
        final List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
            new InputStreamReader(install.getInputStream(), StandardCharsets.UTF_8)))
        {
            for (String line; null != (line = out.readLine()); )
            {
                lines.add(line);
            }
        }
        if (!install.waitFor(10, TimeUnit.MINUTES) || 0 != install.exitValue() || lines.isEmpty())
        {
            throw new IllegalStateException("scripts/install-chromium.sh failed: " + String.join("\n", lines));
        }
        return lines.get(lines.size() - 1).trim();
    }

    /**
     * Starts a headless browser and connects to its DevTools endpoint.
     *
     * @param executable the browser, see {@link #executable}.
     * @param workDir    where its throw-away profile goes.
     * @return the connected browser.
     */
    static HeadlessChromium launch(final String executable, final File workDir) throws Exception
    {
        final File profile = Files.createTempDirectory(workDir.toPath(), "chromium-profile").toFile();
        // As root, in a container: no sandbox; no background networking (this machine has no outside network).
        final Process process = new ProcessBuilder(executable, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--remote-debugging-port=0", "--user-data-dir=" + profile.getAbsolutePath(),
            "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try
        {
            final String url = devToolsUrl(process);
            final HeadlessChromium[] holder = new HeadlessChromium[1];
            final WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(url), new Listener(holder)).get(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            holder[0] = new HeadlessChromium(process, profile, socket);
            return holder[0];
        }
        catch (final Exception ex)
        {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw ex;
        }
    }

    private static String devToolsUrl(final Process process) throws Exception
    {
        final CompletableFuture<String> url = new CompletableFuture<>();
        final List<String> seen = new ArrayList<>();
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader err = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)))
            {
                for (String line; null != (line = err.readLine()); )
                {
                    final Matcher matcher = DEVTOOLS_URL.matcher(line);
                    if (matcher.find())
                    {
                        url.complete(matcher.group(1));
                    }
                    else if (seen.size() < 50)
                    {
                        seen.add(line);
                    }
                }
            }
            catch (final IOException ignore)
            {
                // The browser went away: the future below times out and says what it printed.
            }
            url.completeExceptionally(new IllegalStateException("chromium exited without a DevTools endpoint: " +
                String.join("\n", seen)));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        return url.get(30, TimeUnit.SECONDS);
    }

    /**
     * Opens a page in a new tab and waits until it has loaded.
     *
     * @param url the page's address.
     * @return the tab, to run script in.
     */
    Tab open(final String url) throws Exception
    {
        final String created = call(null, "Target.createTarget", "{\"url\":\"about:blank\"}");
        final String targetId = field(created, "targetId");
        final String attached = call(null, "Target.attachToTarget",
            "{\"targetId\":" + quote(targetId) + ",\"flatten\":true}");
        final Tab tab = new Tab(field(attached, "sessionId"));
        call(tab.sessionId, "Page.navigate", "{\"url\":" + quote(url) + "}");
        // Page.navigate answers once the navigation has started: wait for the new document itself.
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(COMMAND_TIMEOUT_MS);
        while (!"true".equals(tab.eval("location.href === " + quote(url) + " && document.readyState === 'complete'")))
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException(url + " did not load within " + COMMAND_TIMEOUT_MS + " ms");
            }
            Thread.sleep(20);
        }
        return tab;
    }

    /**
     * One page of the browser.
     */
    final class Tab
    {
        private final String sessionId;

        private Tab(final String sessionId)
        {
            this.sessionId = sessionId;
        }

        /**
         * Runs JavaScript in the page and returns its value as a string ({@code String(value)}); a thrown
         * exception fails the call.
         *
         * @param expression the script, an expression.
         * @return its value, converted to a string.
         */
        String eval(final String expression) throws Exception
        {
            final String answer = call(sessionId, "Runtime.evaluate", "{\"expression\":" +
                quote("String((() => { return " + expression + "; })())") + ",\"returnByValue\":true}");
            if (answer.contains("\"exceptionDetails\""))
            {
                throw new IllegalStateException("script failed: " + expression + " -> " + answer);
            }
            return field(answer, "value");
        }
    }

    private String call(final String sessionId, final String method, final String params) throws Exception
    {
        final int id = nextId.incrementAndGet();
        final CompletableFuture<String> answer = new CompletableFuture<>();
        pending.put(id, answer);
        final String message = "{\"id\":" + id + ",\"method\":" + quote(method) + ",\"params\":" + params +
            (null == sessionId ? "" : ",\"sessionId\":" + quote(sessionId)) + "}";
        socket.sendText(message, true).get(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        final String result = answer.get(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (result.contains("\"error\":"))
        {
            throw new IllegalStateException(method + " failed: " + result);
        }
        return result;
    }

    private void onMessage(final String message)
    {
        final Matcher matcher = ID.matcher(message);
        // Events carry no id; an answer's id is its first field.
        if (message.startsWith("{\"id\":") && matcher.find())
        {
            final CompletableFuture<String> answer = pending.remove(Integer.parseInt(matcher.group(1)));
            if (null != answer)
            {
                answer.complete(message);
            }
        }
    }

    /** The first string field of that name in a DevTools message, unescaped. */
    static String field(final String json, final String name)
    {
        final String key = "\"" + name + "\":\"";
        final int start = json.indexOf(key);
        if (-1 == start)
        {
            throw new IllegalStateException("no string field " + name + " in " + json);
        }
        final StringBuilder value = new StringBuilder();
        for (int i = start + key.length(); i < json.length(); i++)
        {
            final char c = json.charAt(i);
            if ('"' == c)
            {
                return value.toString();
            }
            if ('\\' == c)
            {
                final char escaped = json.charAt(++i);
                switch (escaped)
                {
                    case 'n': value.append('\n'); break;
                    case 't': value.append('\t'); break;
                    case 'r': value.append('\r'); break;
                    case 'b': value.append('\b'); break;
                    case 'f': value.append('\f'); break;
                    case 'u':
                        value.append((char)Integer.parseInt(json.substring(i + 1, i + 5), 16));
                        i += 4;
                        break;
                    default: value.append(escaped);
                }
            }
            else
            {
                value.append(c);
            }
        }
        throw new IllegalStateException("unterminated string field " + name + " in " + json);
    }

    /** A JSON string literal. */
    static String quote(final String text)
    {
        final StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if ('"' == c || '\\' == c)
            {
                quoted.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                quoted.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    /**
     * Closes the browser and ends its process by pid.
     */
    public void close() throws Exception
    {
        try
        {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(COMMAND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final Exception ignore)
        {
            // The process is ended below whatever the socket says.
        }
        // Chromium runs helper processes (renderer, network service) that may still write to the profile after the
        // browser process exits: end them too, each by its own pid, before the profile is deleted.
        final List<ProcessHandle> helpers = process.descendants().collect(Collectors.toList());
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS))
        {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        for (final ProcessHandle helper : helpers)
        {
            helper.destroyForcibly();
            helper.onExit().get(5, TimeUnit.SECONDS);
        }
        deleteProfile();
    }

    private void deleteProfile() throws IOException
    {
        // A file may vanish while the tree is walked (a helper's last write): walk again until nothing is left.
        for (int attempt = 0; attempt < 5 && profile.exists(); attempt++)
        {
            try (var files = Files.walk(profile.toPath()))
            {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach((path) -> path.toFile().delete());
            }
            catch (final java.io.UncheckedIOException ex)
            {
                // Walk again.
            }
        }
    }

    private static final class Listener implements WebSocket.Listener
    {
        private final HeadlessChromium[] holder;
        private final StringBuilder partial = new StringBuilder();

        Listener(final HeadlessChromium[] holder)
        {
            this.holder = holder;
        }

        @Override
        public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last)
        {
            partial.append(data);
            if (last)
            {
                final String message = partial.toString();
                partial.setLength(0);
                if (null != holder[0])
                {
                    holder[0].onMessage(message);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
