/**
 * What an application imports to coordinate with the other processes of its host:
 * {@link io.hostsync.SharedRegion} (a named file of shared memory, opened with
 * {@link io.hostsync.RegionOptions}), its host-wide read-write locks ({@link io.hostsync.RWLock},
 * with one of the {@link io.hostsync.Backend}s), the records they report (participants, lock
 * statistics and holders, the header), the naming rules ({@link io.hostsync.Names}) and the
 * exceptions, all subclasses of {@link io.hostsync.HostsyncException}. The shared data types
 * are in {@link io.hostsync.state}.
 */
@NullMarked
package io.hostsync;

import org.jspecify.annotations.NullMarked;
