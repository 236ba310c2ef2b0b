/**
 * Micrometer observations of guarded calls and of their waits for the lock, so that traces show
 * them as spans: {@link io.hostsync.autoconfigure.observation.HostsyncObservationDocumentation}
 * names them and their keys, and the convention interfaces let an application rename or retag
 * them.
 */
@NullMarked
package io.hostsync.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
