package io.hostsync.autoconfigure.cohort;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.hostsync.Names;
import io.hostsync.RWLock;
import io.hostsync.SharedRegion;
import io.hostsync.state.Codecs;
import io.hostsync.state.MapCapacity;
import io.hostsync.state.SharedLongArray;
import io.hostsync.state.SharedMap;

import org.jspecify.annotations.Nullable;

/**
 * The cohort locks of one region: one {@link CohortLock} per lock name, all holding their remote
 * leases under the host's identity, and a daemon thread that renews the leases the host uses.
 * Close it before the region.
 */
public final class CohortLocks implements AutoCloseable {

    /** The suffix of the hostsync lock that guards a cohort lock's record. */
    static final String GATE_SUFFIX = ".cohort";

    private static final String HOST_ENTRY = "hostsync.cohort.host";

    /** The region's map of keyed cohort lock records, by {@link #keyName key name}. */
    static final String KEYED_ENTRY = "hostsync.cohort.keys";

    /**
     * The longest key, in bytes, a keyed cohort lock uses as it is; a longer one is replaced by its
     * {@link #digestKey digest}.
     */
    static final int MAX_WHOLE_KEY_BYTES = 128;

    /** The average bytes of a record map entry: a key name of some 40 characters and the record. */
    private static final int KEYED_ENTRY_BYTES = 40 + CohortLock.RECORD_LENGTH * Long.BYTES;

    private final SharedRegion region;

    private final RemoteLease remote;

    private final CohortSettings settings;

    private final String hostId;

    private final Map<String, CohortLock> locks = new ConcurrentHashMap<>();

    /** What this process counted for each family of keyed locks, by family. */
    private final Map<String, CohortCounters> families = new ConcurrentHashMap<>();

    private volatile Consumer<CohortCounters> created = (counters) -> {
    };

    private final SharedMap<String, long[]> keyed;

    private final ScheduledExecutorService maintenance;

    /**
     * Opens the cohort locks of a region.
     *
     * @param region the host's region
     * @param leases the lock engine's leases
     * @param settings how the locks behave
     */
    public CohortLocks(SharedRegion region, RemoteLease.Factory leases, CohortSettings settings) {
        this.region = region;
        this.settings = settings;
        this.hostId = hostId(region);
        this.remote = leases.forHost(this.hostId);
        this.keyed = region.state().map(KEYED_ENTRY, Codecs.utf8(), CohortRecord.CODEC, keyedCapacity(region));
        this.maintenance = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "hostsync-cohort-" + region.name());
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(settings.leaseTime().toMillis() / 3 / 2, 1);
        this.maintenance.scheduleWithFixedDelay(this::maintain, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * The identity under which this host holds its leases: random, created by the first process to
     * ask and kept in the region, so that the region's processes share it and no other host has it.
     */
    private static String hostId(SharedRegion region) {
        SharedLongArray entry = region.state().longArray(HOST_ENTRY, 1);
        long id = entry.get(0);
        if (id == 0) {
            long candidate = new SecureRandom().nextLong() | 1;
            id = entry.compareAndSet(0, 0, candidate) ? candidate : entry.get(0);
        }
        // A UUID: Spring Integration's lock table keeps client ids in a CHAR(36).
        return UUID.nameUUIDFromBytes(("hostsync:" + region.name() + ":" + Long.toHexString(id))
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * Returns the cohort lock of a name, whose remote key is {@code <region>:<name>}.
     *
     * @param name the lock's name in the region
     * @return the lock
     */
    public CohortLock lock(String name) {
        CohortLock lock = this.locks.get(name);
        if (lock == null) {
            CohortLock opened = open(name);
            lock = this.locks.putIfAbsent(name, opened);
            if (lock == null) {
                lock = opened;
                this.created.accept(opened.counters());
            }
        }
        return lock;
    }

    /**
     * Calls a listener with the counters of each named lock and each family of keyed locks when this
     * process first opens it (the meters).
     *
     * @param listener what to call
     */
    void onCreated(Consumer<CohortCounters> listener) {
        this.created = listener;
    }

    private CohortLock open(String name) {
        RWLock local = this.region.lock(name);
        RWLock gate = this.region.lock(name + GATE_SUFFIX);
        SharedLongArray record = this.region.state().longArray("hostsync.cohort." + name, CohortLock.RECORD_LENGTH);
        return new CohortLock(local, gate, CohortRecord.of(record), this.remote, this.region.name() + ":" + name,
                this.settings, CohortCounters.named(this.region.name(), name));
    }

    /**
     * The capacity of the region's record map: keyed cohort locks in use at once, each holding or
     * waiting for its host lock and gate (two of the region's lock records), plus records whose lease
     * a holder left for a waiter. Four per lock record leaves room for the records the maintenance
     * has not released yet.
     */
    static MapCapacity keyedCapacity(SharedRegion region) {
        return MapCapacity.of(Math.max(64, 4 * region.options().maxLocks()), KEYED_ENTRY_BYTES);
    }

    /**
     * Returns the cohort lock of one key of a family, whose remote key is
     * {@code <region>:<family>['<key>']}: a new instance, made of the key's hostsync keyed locks
     * (see {@link SharedRegion#lock(String, Object)}), so hold on to it until it is released. Its
     * record lives in the region's record map only while the key's lease is held or the key's lock is
     * held or waited for on this host. A key longer than {@value #MAX_WHOLE_KEY_BYTES} bytes is
     * replaced by its {@link #digestKey digest} (a 0xFF byte and a SHA-256), in its name and for its
     * host locks: so its host lock is not the one {@code region.lock(family, key)} gives.
     *
     * @param family the family's name, a lock name short enough to take the suffix
     *     {@value #GATE_SUFFIX}
     * @param key the key: a {@code byte[]}, or an object whose {@code toString()} identifies it (the
     *     key {@code 42} and the key {@code "42"} are the same, as for hostsync keyed locks)
     * @return the lock
     * @throws IllegalArgumentException if the family name is not allowed or the key is null
     */
    public CohortLock lock(String family, Object key) {
        Names.requireLockName(family, this.region.name());
        if (family.length() + GATE_SUFFIX.length() > Names.MAX_LOCK_LENGTH) {
            throw new IllegalArgumentException("The lock family '" + family + "' of region '" + this.region.name()
                    + "' is too long for a cohort lock: its gate '" + family + GATE_SUFFIX + "' must be at most "
                    + Names.MAX_LOCK_LENGTH + " characters. Give a shorter family name.");
        }
        if (key == null) {
            throw new IllegalArgumentException("The key of cohort lock family '" + family + "' in region '"
                    + this.region.name() + "' is null: give the object whose lock you want, such as an order id");
        }
        byte[] bytes = (key instanceof byte[] raw) ? raw.clone() : key.toString().getBytes(StandardCharsets.UTF_8);
        return openKeyed(family, (bytes.length > MAX_WHOLE_KEY_BYTES) ? digestKey(family, bytes) : bytes);
    }

    private CohortLock openKeyed(String family, byte[] key) {
        String name = keyName(family, key);
        RWLock local = this.region.lock(family, key);
        RWLock gate = this.region.lock(family + GATE_SUFFIX, key);
        CohortCounters counters = this.families.get(family);
        if (counters == null) {
            CohortCounters fresh = CohortCounters.family(this.region.name(), family);
            counters = this.families.putIfAbsent(family, fresh);
            if (counters == null) {
                counters = fresh;
                this.created.accept(fresh);
            }
        }
        return new CohortLock(local, gate, CohortRecord.of(this.keyed, name), this.remote,
                this.region.name() + ":" + name, this.settings, counters);
    }

    /**
     * The key a cohort lock uses for a key longer than {@value #MAX_WHOLE_KEY_BYTES} bytes, so that
     * its name fits the record map and the engine whatever the key's length: a 0xFF byte (which no
     * UTF-8 text has, so no text key gives these bytes) and the SHA-256 of the family, a 0 byte and the
     * key. Two long keys share a lock only if their digests are equal: more exclusion, never less.
     */
    static byte[] digestKey(String family, byte[] key) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("Cohort lock family '" + family + "' names a key of " + key.length
                    + " bytes (more than " + MAX_WHOLE_KEY_BYTES + ") by its SHA-256 digest, but this JVM has no"
                    + " SHA-256, which every Java SE platform must provide. Run on a standard JDK, or use keys of at"
                    + " most " + MAX_WHOLE_KEY_BYTES + " bytes.", ex);
        }
        sha256.update(family.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
        byte[] digest = sha256.digest(key);
        byte[] surrogate = new byte[1 + digest.length];
        surrogate[0] = (byte) 0xFF;
        System.arraycopy(digest, 0, surrogate, 1, digest.length);
        return surrogate;
    }

    /**
     * What this process counted, per named lock and per family of keyed locks opened so far.
     *
     * @return the counters
     */
    List<CohortCounters> counters() {
        List<CohortCounters> counters = new ArrayList<>();
        this.locks.values().forEach((lock) -> counters.add(lock.counters()));
        counters.addAll(this.families.values());
        return counters;
    }

    /**
     * The keyed records of one family this host has now.
     *
     * @param family the family's name
     * @return how many keys of the family the host holds the lease of, or uses
     */
    int keyedRecords(String family) {
        int records = 0;
        for (String name : this.keyed.keySet()) {
            if (name.startsWith(family + "[")) {
                records++;
            }
        }
        return records;
    }

    /**
     * The name of a key in the record map and, after the region's name, in the lock engine: one name
     * for the same bytes whatever object gave them, and different names for different keys (else two
     * keys would share, and release, one lease): {@code family['text']} for a key whose bytes are
     * UTF-8, {@code family[0x<hex>]} for any other.
     */
    static String keyName(String family, byte[] key) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key))
                    .toString();
            return family + "['" + text + "']";
        } catch (CharacterCodingException ex) {
            return family + "[0x" + HexFormat.of().formatHex(key) + "]";
        }
    }

    /** The family and key bytes of a key name, or null for a name this version does not make. */
    static Map.@Nullable Entry<String, byte[]> parseKeyName(String name) {
        int open = name.indexOf('[');
        if (open <= 0 || !name.endsWith("]")) {
            return null;
        }
        String family = name.substring(0, open);
        String rest = name.substring(open + 1, name.length() - 1);
        if (rest.length() >= 2 && rest.startsWith("'") && rest.endsWith("'")) {
            return Map.entry(family, rest.substring(1, rest.length() - 1).getBytes(StandardCharsets.UTF_8));
        }
        if (rest.startsWith("0x")) {
            try {
                return Map.entry(family, HexFormat.of().parseHex(rest.substring(2)));
            } catch (IllegalArgumentException ex) {
                return null;
            }
        }
        return null;
    }

    /**
     * The keyed records of this host now, by key name: for tests and monitoring.
     *
     * @return the record map's size
     */
    public int keyedRecords() {
        return this.keyed.size();
    }

    /**
     * The locks opened so far.
     *
     * @return the locks
     */
    public Collection<CohortLock> locks() {
        return List.copyOf(this.locks.values());
    }

    /**
     * The host's identity in the lock engine.
     *
     * @return the identity, such as a UUID
     */
    public String hostId() {
        return this.hostId;
    }

    /**
     * The lock engine's leases.
     *
     * @return the leases
     */
    public RemoteLease remote() {
        return this.remote;
    }

    private void maintain() {
        for (CohortLock lock : this.locks.values()) {
            try {
                lock.maintain();
            } catch (RuntimeException ex) {
                // counted by the lock; the next round tries again
            }
        }
        // keyed locks: renew the leases of keys in use, release those nobody uses (a holder that died,
        // a waiter that gave up), and remove the records of keys nobody uses
        for (String name : List.copyOf(this.keyed.keySet())) {
            Map.Entry<String, byte[]> key = parseKeyName(name);
            if (key == null) {
                continue;
            }
            try {
                openKeyed(key.getKey(), key.getValue()).maintain();
            } catch (RuntimeException ex) {
                // a full region or an engine failure: the next round tries again
            }
        }
    }

    @Override
    public void close() {
        this.maintenance.shutdownNow();
        // a round still running when the region closes would find the keys' host locks idle (a closing
        // region answers so) and release leases other processes of the host rely on: wait for it
        try {
            this.maintenance.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
