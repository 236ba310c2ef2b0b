/**
 * Spring Boot actuator support for hostsync: the {@code hostsync} endpoint
 * ({@link io.hostsync.autoconfigure.actuate.HostsyncEndpoint}) and the {@code hostsync} health
 * contributor ({@link io.hostsync.autoconfigure.actuate.HostsyncHealthIndicator}).
 */
@NullMarked
package io.hostsync.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
