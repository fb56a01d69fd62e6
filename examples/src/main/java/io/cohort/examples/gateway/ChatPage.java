package io.cohort.examples.gateway;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Serves the one-page chat client ({@code chat.html}: plain HTML and JavaScript) at {@code /} on the gateway's HTTP
 * port, beside the WebSocket at {@value GatewayContext#PATH}. The page connects back to the gateway that served it.
 */
final class ChatPage extends Handler.Abstract.NonBlocking
{
    /** Where the page is on the class path, next to this class. */
    static final String RESOURCE = "chat.html";

    private final ByteBuffer page;

    ChatPage()
    {
        try (InputStream in = ChatPage.class.getResourceAsStream(RESOURCE))
        {
            if (null == in)
            {
                throw new IllegalStateException(RESOURCE + " is missing from the class path next to " +
                    ChatPage.class.getName());
            }
            page = ByteBuffer.wrap(in.readAllBytes()).asReadOnlyBuffer();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + RESOURCE, ex);
        }
    }

    @Override
    public boolean handle(final Request request, final Response response, final Callback callback)
    {
        final String path = Request.getPathInContext(request);
        if (!HttpMethod.GET.is(request.getMethod()) || !("/".equals(path) || "/index.html".equals(path)))
        {
            return false;
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.write(true, page.duplicate(), callback);
        return true;
    }
}
