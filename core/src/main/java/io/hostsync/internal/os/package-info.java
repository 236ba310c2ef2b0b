/**
 * Every call to the operating system, and its portable counterpart: the one place hostsync talks
 * to the operating system. Not an API: the module does not export it.
 *
 * <ul>
 *   <li>{@link io.hostsync.internal.os.Platform}: which region layer this JVM uses.</li>
 *   <li>{@link io.hostsync.internal.os.RegionDescriptor}: the open region file
 *       ({@link io.hostsync.internal.os.NativeRegionDescriptor} through jnr-ffi,
 *       {@link io.hostsync.internal.os.PortableRegionDescriptor} in pure Java), and its
 *       {@link io.hostsync.internal.os.FileStatus}.</li>
 *   <li>{@link io.hostsync.internal.os.ByteLocks}: one-byte locks the kernel frees when a process
 *       dies ({@link io.hostsync.internal.os.OfdLocks}, {@link io.hostsync.internal.os.ChannelLocks}).</li>
 *   <li>{@link io.hostsync.internal.os.Futex}: shared futex waits and wakes;
 *       {@link io.hostsync.internal.os.Posix}: {@code pthread_rwlock_t} calls;
 *       {@link io.hostsync.internal.os.ProcessIdentity}: pid, PID namespace, host name.</li>
 *   <li>{@link io.hostsync.internal.os.Native}: the C library (bound in
 *       {@code io.hostsync.internal.ffi}), its constants, and errno as
 *       {@link io.hostsync.NativeCallException}.</li>
 * </ul>
 */
@NullMarked
package io.hostsync.internal.os;

import org.jspecify.annotations.NullMarked;
