package io.cohort.engine;

import io.cohort.config.KnownProperties;
import io.cohort.state.StateConfiguration;
import io.cohort.transport.TransportConfiguration;

import java.util.List;

/**
 * The allow-list of {@code cohort.*} names that no Configuration declares because no node reads them: the
 * project's tests, simulator, fuzzers, benchmarks and build read them (and the fault hooks installed from
 * outside, {@link FaultInjection}). A launch accepts them and never suggests them; every other {@code cohort.*}
 * name must be declared by {@link CohortConfiguration}, {@link TransportConfiguration} or
 * {@link StateConfiguration}, or the launch fails ({@link CohortContext#conclude()}).
 */
final class ToolProperties
{
    /** Exact names: the repository root given to tests and tools, and the README reference's regeneration. */
    static final List<String> NAMES = List.of("cohort.root", "cohort.readme.update");

    /**
     * Prefixes: tests ({@code cohort.test.}, including the build's {@code cohort.test.excludedGroups}), the
     * simulator, the codec fuzzer, the fault hooks, the benchmark harness and the build's JVM arguments.
     */
    static final List<String> PREFIXES = List.of(
        "cohort.test.", "cohort.sim.", "cohort.fuzz.", "cohort.fault.", "cohort.bench.", "cohort.jvm.");

    /** Every {@code cohort.*} name a node's launch accepts. */
    static final KnownProperties KNOWN = new KnownProperties("cohort.", List.of(
        CohortConfiguration.PROPERTIES, TransportConfiguration.PROPERTIES, StateConfiguration.PROPERTIES),
        NAMES, PREFIXES);

    private ToolProperties()
    {
    }
}
