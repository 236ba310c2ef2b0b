/**
 * The C functions hostsync calls, as jnr-ffi binding interfaces: {@link io.hostsync.internal.ffi.LibC}
 * and {@link io.hostsync.internal.ffi.PThread}. Only {@code io.hostsync.internal.os} calls them.
 * Not an API: the module exports this package only because jnr-ffi implements the interfaces with
 * classes it generates at run time in an unnamed module.
 */
@NullMarked
package io.hostsync.internal.ffi;

import org.jspecify.annotations.NullMarked;
