/**
 * The system properties each module's Configuration class declares, and their parsing into values.
 */
package io.cohort.config;
