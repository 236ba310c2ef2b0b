/**
 * Spring Integration support: {@link io.hostsync.autoconfigure.integration.HostsyncLockRegistry}, a
 * {@code LockRegistry} of host-wide hostsync locks, and its auto-configuration.
 */
@NullMarked
package io.hostsync.autoconfigure.integration;

import org.jspecify.annotations.NullMarked;
