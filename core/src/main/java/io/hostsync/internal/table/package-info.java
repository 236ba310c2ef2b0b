/**
 * The shared hash table under {@code SharedMap}: {@link io.hostsync.internal.table.TableLayout}
 * describes its bytes and geometry, {@link io.hostsync.internal.table.HashTable} reads and changes
 * them (segment mutexes, seqlock reads, intents that the next writer completes after a death).
 * Not an API: the module does not export it.
 */
@NullMarked
package io.hostsync.internal.table;

import org.jspecify.annotations.NullMarked;
