/**
 * Annotations that run a Spring bean's methods holding a host-wide hostsync lock:
 * {@link io.hostsync.annotation.ReadGuarded} and {@link io.hostsync.annotation.WriteGuarded}.
 */
@NullMarked
package io.hostsync.annotation;

import org.jspecify.annotations.NullMarked;
