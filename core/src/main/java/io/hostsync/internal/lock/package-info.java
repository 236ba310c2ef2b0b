/**
 * The host-wide half of every {@link io.hostsync.RWLock}. Not an API: the module does not export it.
 *
 * <ul>
 *   <li>{@link io.hostsync.internal.lock.LockBackend}: the contract every backend meets;
 *       {@link io.hostsync.internal.lock.LockBackends}: choosing one for a region, preparing
 *       records, reclaiming a dead slot's share.</li>
 *   <li>{@code RecordedLock}: the holder records and statistics every backend shares.</li>
 *   <li>One class per backend: {@code RobustLock} (the default: a CAS state word,
 *       {@code LockWord}, with per-slot reader counts), {@code PosixLock}
 *       ({@code pthread_rwlock_t}), {@code FileLock} (kernel byte-range locks).</li>
 *   <li>{@code FutexWaiter}: how the robust lock's waiters spin, sleep on their futex word
 *       (readers, writers, the draining owner: one each) and check liveness, and the one
 *       sleep order that every waiter in hostsync uses, so that no wake-up is lost.</li>
 *   <li>{@link io.hostsync.internal.lock.HostMutex}: the crash-safe mutex under values, maps and
 *       semaphores.</li>
 * </ul>
 */
@NullMarked
package io.hostsync.internal.lock;

import org.jspecify.annotations.NullMarked;
