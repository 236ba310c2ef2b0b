package io.hostsync.autoconfigure.integration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.regex.Pattern;

import io.hostsync.RWLock;
import io.hostsync.Names;
import io.hostsync.SharedRegion;

import org.springframework.integration.support.locks.LockRegistry;

/**
 * A Spring Integration {@link LockRegistry} whose locks are hostsync locks: host-wide, shared by
 * every process on the host that opens the same region, and released by the kernel-confirmed
 * recovery of hostsync when a holder dies (no lease to expire while work goes on). The lock for
 * a key is the write lock of the region's named lock for that key, so it excludes every other
 * holder, in this JVM and in others.
 *
 * <p>The lock name is the key's {@code toString()} when that is a valid lock name (1 to
 * {@value Names#MAX_LOCK_LENGTH} characters of {@value Names#CHARACTERS}); any other key
 * is mapped to a valid name made of its allowed characters and a hash of the whole key, the
 * same in every process, so that different keys get different locks.
 *
 * <p>Each distinct key takes one of the region's lock records for the life of the region, and a
 * region holds {@code hostsync.regions.<name>.max-locks} of them (16 by default, the default
 * lock included): use a small, fixed set of keys, and raise max-locks to fit them. A key beyond
 * that fails with a {@link io.hostsync.RegionFullException}.
 */
public final class HostsyncLockRegistry implements LockRegistry<Lock> {

    private static final Pattern INVALID_CHARACTERS = Pattern.compile("[^" + Names.CHARACTERS.substring(1));

    /** Hex digits of the hash that keeps mapped keys apart: 64 bits. */
    private static final int HASH_LENGTH = 16;

    private final SharedRegion region;

    /**
     * Creates a registry over the named locks of a region.
     *
     * @param region the region whose locks to hand out
     */
    public HostsyncLockRegistry(SharedRegion region) {
        this.region = Objects.requireNonNull(region, "region");
    }

    /**
     * Returns the lock for a key: the write lock of the region's named lock for that key,
     * created in the region if no process has created it yet.
     *
     * @param lockKey the key; its {@code toString()} names the lock
     * @return the lock, reentrant for the thread that holds it
     * @throws io.hostsync.RegionFullException if the region has no room for another lock
     */
    @Override
    public Lock obtain(Object lockKey) {
        RWLock lock = this.region.lock(lockName(lockKey));
        return lock.writeLock();
    }

    /**
     * Returns the region whose locks this registry hands out.
     *
     * @return the region
     */
    public SharedRegion getRegion() {
        return this.region;
    }

    /**
     * Returns the name of the lock that stands for a key: the key itself when it is a valid lock
     * name, else its allowed characters (others replaced by {@code _}) cut to fit, a dash, and
     * 16 hex digits of the SHA-256 of the key.
     *
     * @param lockKey the key
     * @return a valid lock name, the same for equal keys in every process
     */
    public static String lockName(Object lockKey) {
        String key = String.valueOf(Objects.requireNonNull(lockKey, "lockKey"));
        if (Names.isValid(key, Names.MAX_LOCK_LENGTH)) {
            return key;
        }
        String readable = INVALID_CHARACTERS.matcher(key).replaceAll("_");
        int room = Names.MAX_LOCK_LENGTH - HASH_LENGTH - 1;
        if (readable.length() > room) {
            readable = readable.substring(0, room);
        }
        return readable + "-" + hash(key);
    }

    private static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, HASH_LENGTH / 2);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("Every Java platform must support SHA-256", ex);
        }
    }

    @Override
    public String toString() {
        return "HostsyncLockRegistry over region '" + this.region.name() + "'";
    }
}
