/**
 * What runs a bean's {@code @ReadGuarded} and {@code @WriteGuarded} methods holding their lock:
 * {@link io.hostsync.autoconfigure.guard.HostsyncGuardAutoConfiguration} and the advisor
 * ({@link io.hostsync.autoconfigure.guard.GuardedMethodAdvisor}) that it registers.
 */
@NullMarked
package io.hostsync.autoconfigure.guard;

import org.jspecify.annotations.NullMarked;
