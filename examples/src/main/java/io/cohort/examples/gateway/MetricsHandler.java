package io.cohort.examples.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves the gateway's meters to Prometheus: {@code GET /metrics} answers the registry's scrape in Prometheus' text
 * format; any other request is left to the next handler (none: 404). Runs on Jetty's threads; a scrape reads the
 * node's published counters and never involves the node's thread.
 */
final class MetricsHandler extends Handler.Abstract.NonBlocking
{
    /** Where Prometheus scrapes. */
    static final String PATH = "/metrics";
    /** What {@link PrometheusMeterRegistry#scrape()} writes: Prometheus' text exposition format 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    MetricsHandler(final PrometheusMeterRegistry registry)
    {
        this.registry = registry;
    }

    /**
     * {@inheritDoc}
     */
    public boolean handle(final Request request, final Response response, final Callback callback)
    {
        if (!PATH.equals(Request.getPathInContext(request)) || !HttpMethod.GET.is(request.getMethod()))
        {
            return false;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        Content.Sink.write(response, true, registry.scrape(), callback);
        return true;
    }
}
