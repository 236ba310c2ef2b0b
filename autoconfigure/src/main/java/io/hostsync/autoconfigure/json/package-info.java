/**
 * JSON codecs for shared values, bound to the application's Jackson mapper.
 */
@NullMarked
package io.hostsync.autoconfigure.json;

import org.jspecify.annotations.NullMarked;
