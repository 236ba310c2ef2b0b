/**
 * hostsync's core: host-wide read-write locks and shared-memory state for the processes of one
 * host. Applications use {@code io.hostsync} and {@code io.hostsync.state}; everything under
 * {@code io.hostsync.internal} is hidden, except the native bindings
 * ({@code io.hostsync.internal.ffi}) that jnr-ffi implements with classes it generates outside this
 * module.
 */
module io.hostsync.core {
    exports io.hostsync;
    exports io.hostsync.state;
    // jnr-ffi implements these interfaces with classes it defines at run time in an unnamed module.
    exports io.hostsync.internal.ffi;

    requires org.jnrproject.ffi;
    requires static tools.jackson.databind;
    // JSpecify's @NullMarked and @Nullable: needed to compile core, neither to run it nor to compile against it.
    requires static org.jspecify;
}
