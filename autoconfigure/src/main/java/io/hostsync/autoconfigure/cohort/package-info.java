/**
 * Cohort locks: a host's hostsync lock plus one lease in PostgreSQL or Redis held in the host's
 * name, so that the processes of a host pass the remote hold among themselves
 * ({@code hostsync.cohort.*}, docs/scaling-out.md).
 */
@NullMarked
package io.hostsync.autoconfigure.cohort;

import org.jspecify.annotations.NullMarked;
