/**
 * A ShedLock {@code LockProvider} over a shared map of a hostsync region, auto-configured when
 * ShedLock is on the class path: {@code @SchedulerLock} jobs run once per host, with no database.
 */
@NullMarked
package io.hostsync.autoconfigure.shedlock;

import org.jspecify.annotations.NullMarked;
