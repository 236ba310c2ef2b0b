/**
 * JSON codecs for shared values, bound to the application's Jackson mapper.
 */
package io.hostsync.autoconfigure.json;
