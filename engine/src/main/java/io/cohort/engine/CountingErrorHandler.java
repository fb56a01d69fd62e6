package io.cohort.engine;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The node's error handler: counts every error in the node's errors counter ({@code cohort stat} shows it), then
 * passes it on to the configured handler (by default, a log line). Safe from any thread.
 */
final class CountingErrorHandler implements ErrorHandler
{
    private final ErrorHandler delegate;
    private final AtomicCounter errors;

    CountingErrorHandler(final ErrorHandler delegate, final AtomicCounter errors)
    {
        this.delegate = delegate;
        this.errors = errors;
    }

    /**
     * {@inheritDoc}
     */
    public void onError(final Throwable throwable)
    {
        // A closed counter's slot may already be reused or its file unmapped: an error after close goes uncounted.
        if (!errors.isClosed())
        {
            errors.increment();
        }
        delegate.onError(throwable);
    }
}
