/**
 * Cohort's wire format: a checksummed frame header followed by a batch of messages, each read and
 * written in place by allocation-free flyweights over Agrona buffers.
 */
package io.cohort.codec;
