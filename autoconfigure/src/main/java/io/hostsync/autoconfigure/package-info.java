/**
 * The Spring Boot auto-configuration of hostsync: the regions configured under {@code hostsync.*}
 * ({@link io.hostsync.autoconfigure.HostsyncProperties}) opened as beans by
 * {@link io.hostsync.autoconfigure.HostsyncAutoConfiguration}, and the failure analyzers that explain
 * a configuration the starter refuses.
 */
@NullMarked
package io.hostsync.autoconfigure;

import org.jspecify.annotations.NullMarked;
