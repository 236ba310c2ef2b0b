/**
 * The region file, one class per part of its layout. Not an API: the module does not export it.
 *
 * <ul>
 *   <li>{@link io.hostsync.internal.region.RegionLayout}: every offset and size, drawn in its
 *       javadoc and in {@code docs/layout.md}; {@link io.hostsync.internal.region.Words}: the
 *       atomic access to its words.</li>
 *   <li>{@link io.hostsync.internal.region.RegionFile}: the lifecycle (create or validate under
 *       the initialisation lock, claim a slot, close); {@code HeaderFormat}: the header.</li>
 *   <li>{@link io.hostsync.internal.region.SlotTable}: participants and their liveness;
 *       {@link io.hostsync.internal.region.LockTable}: lock records by name;
 *       {@link io.hostsync.internal.region.Directory}: named entries and the heap.</li>
 *   <li>{@link io.hostsync.internal.region.RegionHooks}: what the lock and state layers do when a
 *       record is created or a dead process's slot is claimed.</li>
 * </ul>
 */
@NullMarked
package io.hostsync.internal.region;

import org.jspecify.annotations.NullMarked;
