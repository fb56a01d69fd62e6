package io.cohort.examples.gateway;

import io.cohort.engine.CohortContext;
import io.cohort.test.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chat page a gateway serves, in a real headless Chromium against one in-JVM gateway: the page shows the node it
 * is on, joins a room, publishes, and shows the message and the room's count. (The cross-gateway case, three
 * gateway processes and two pages, is a system test.)
 */
@Tag("slow")
class ChatPageTest
{
    private static final long BOUND_MS = 20_000;

    @TempDir
    File tempDir;

    private Gateway gateway;
    private int port;

    @BeforeEach
    void launch()
    {
        final int[] ports = FreePorts.loopback(3);
        final Supplier<CohortContext> cohortContexts = () ->
        {
            final CohortContext cohortContext = new CohortContext().seeds("");
            cohortContext.transportContext().bindAddress("127.0.0.1").advertisedHost("127.0.0.1")
                .commandPort(ports[0]).syncPort(ports[1]).countersDir(new File(tempDir, "counters").getPath());
            cohortContext.stateContext().maxRooms(1024).maxConnections(1024).maxOverflowSubscriptions(1024)
                .maxNodes(4);
            return cohortContext;
        };
        port = ports[2];
        gateway = Gateway.launch(cohortContexts, new GatewayContext().bindAddress("127.0.0.1").port(port),
            (state) ->
            {
            });
    }

    @AfterEach
    void close()
    {
        gateway.close();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldServeThePageAndNothingElse() throws Exception
    {
        final HttpClient http = HttpClient.newHttpClient();
        final HttpResponse<String> page = http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<title>Cohort chat</title>"));

        final HttpResponse<String> missing = http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/secret")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void shouldJoinPublishAndShowTheMessageAndTheCountInARealBrowser() throws Exception
    {
        final String chromium = HeadlessChromium.executable(new File(System.getProperty("cohort.root", ".")));
        try (HeadlessChromium browser = HeadlessChromium.launch(chromium, tempDir))
        {
            final HeadlessChromium.Tab tab = browser.open("http://127.0.0.1:" + port + "/");
            awaitEval(tab, "document.getElementById('where').dataset.state", "RUNNING");
            assertEquals(String.format("%016x", gateway.node().nodeId()),
                tab.eval("document.getElementById('where').dataset.node"));

            tab.eval("(document.getElementById('room').value = 'lobby', document.getElementById('join').click())");
            awaitEval(tab, "document.querySelector('#rooms li[data-room=lobby]')?.dataset.count", "1");
            assertEquals(1, gateway.node().subscriberCount(Gateway.roomId("lobby")));

            tab.eval("(document.getElementById('pub-text').value = 'hello from a browser', " +
                "document.getElementById('send').click())");
            awaitEval(tab, "document.getElementById('log').textContent.includes('[lobby] hello from a browser')",
                "true");

            tab.eval("document.querySelector('#rooms li[data-room=lobby] button').click()");
            awaitEval(tab, "String(document.querySelectorAll('#rooms li').length)", "0");
            awaitTrue(() -> 0 == gateway.node().subscriberCount(Gateway.roomId("lobby")));
        }
    }

    private static void awaitEval(final HeadlessChromium.Tab tab, final String expression, final String expected)
        throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
        String value = null;
        while (System.nanoTime() < deadline)
        {
            value = tab.eval(expression);
            if (expected.equals(value))
            {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(expression + ": expected " + expected + " within " + BOUND_MS + " ms, last " + value +
            "; page log: " + tab.eval("document.getElementById('log').textContent"));
    }

    private static void awaitTrue(final java.util.function.BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOUND_MS);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out after " + BOUND_MS + " ms");
            }
            Thread.sleep(50);
        }
    }
}
