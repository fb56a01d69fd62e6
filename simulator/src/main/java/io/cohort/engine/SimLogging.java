package io.cohort.engine;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Silences the slf4j-simple loggers of {@code io.cohort} for a simulation batch: thousands of runs would otherwise
 * write millions of lines, and formatting them would cost more than simulating. Loggers already created (by tests
 * that ran before in the same JVM) are switched off by reflection, later ones by the level property; both are
 * restored on close. If the binding is not slf4j-simple, nothing changes.
 */
final class SimLogging implements AutoCloseable
{
    private static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.io.cohort";

    private final List<Object[]> restored = new ArrayList<>();
    private final String previousProperty;

    private SimLogging()
    {
        previousProperty = System.getProperty(LEVEL_PROPERTY);
        System.setProperty(LEVEL_PROPERTY, "off");
        try
        {
            final ILoggerFactory factory = LoggerFactory.getILoggerFactory();
            final Field mapField = factory.getClass().getDeclaredField("loggerMap");
            mapField.setAccessible(true);
            final Map<?, ?> loggers = (Map<?, ?>)mapField.get(factory);
            for (final Object value : loggers.values())
            {
                final Logger logger = (Logger)value;
                if (logger.getName().startsWith("io.cohort"))
                {
                    final Field level = logger.getClass().getDeclaredField("currentLogLevel");
                    final Field off = logger.getClass().getDeclaredField("LOG_LEVEL_OFF");
                    level.setAccessible(true);
                    off.setAccessible(true);
                    restored.add(new Object[]{ logger, level, level.getInt(logger) });
                    level.setInt(logger, off.getInt(null));
                }
            }
        }
        catch (final ReflectiveOperationException | RuntimeException ignore)
        {
            // Another binding: logs stay on.
        }
    }

    static SimLogging quiet()
    {
        return new SimLogging();
    }

    public void close()
    {
        if (null == previousProperty)
        {
            System.clearProperty(LEVEL_PROPERTY);
        }
        else
        {
            System.setProperty(LEVEL_PROPERTY, previousProperty);
        }
        for (final Object[] entry : restored)
        {
            try
            {
                ((Field)entry[1]).setInt(entry[0], (Integer)entry[2]);
            }
            catch (final IllegalAccessException ignore)
            {
                // Left off.
            }
        }
    }
}
