package io.hostsync.benchmarks;

import io.hostsync.SharedRegion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * One read-write lock the benchmarks compare, seen as a {@link ReadWriteLock}, with what another
 * participant needs to use the same lock: for the locks shared between processes, the
 * arguments with which a {@link Partner} process joins it ({@link #join(List)}); for the
 * JVM-local locks, nothing (their other participants are threads of this JVM).
 *
 * <ul>
 *   <li>{@code hostsync}: the default lock of a region of its own, with a lock backend;</li>
 *   <li>{@code rrwl}: a {@link ReentrantReadWriteLock} (non-fair, the default);</li>
 *   <li>{@code stamped}: a {@link StampedLock} through {@link StampedLock#asReadWriteLock()};</li>
 *   <li>{@code filechannel}: {@link FileChannelReadWriteLock} on a file in {@code /dev/shm};</li>
 *   <li>{@code redisson}: Redisson's {@code RReadWriteLock} on a {@link RedisServer} this
 *       benchmark starts on loopback, each process with a client of its own.</li>
 * </ul>
 */
interface LockUnderTest extends AutoCloseable {

    /** @return the lock */
    ReadWriteLock readWriteLock();

    /**
     * @return the arguments with which a partner process joins this lock ({@link #join(List)}),
     *     or {@code null} for a lock that only threads of this JVM can share
     */
    List<String> joinArguments();

    /**
     * @return the file whose mapping holds the futex words this lock's waiters sleep on, or
     *     {@code null} if they sleep elsewhere (in {@code fcntl}); the handoff benchmark watches
     *     for a waiter asleep there
     */
    default Path sleepFile() {
        return null;
    }

    /**
     * Whether a waiter polls, sleeping in a plain timed park between looks (the {@code file}
     * backend), rather than sleeping where the lock's release wakes it.
     *
     * @return {@code true} for a polling waiter
     */
    default boolean pollingWaiter() {
        return false;
    }

    /** Releases what this process holds; the participant that created the lock also deletes it. */
    @Override
    void close();

    /**
     * Creates the default lock of a new region with a lock backend.
     *
     * @param backend the backend, see {@link Regions#options(String, String)}
     * @return the lock; closing it deletes the region
     */
    static LockUnderTest hostsync(String backend) {
        return hostsync(Regions.open(Regions.uniqueName(), backend), backend, true);
    }

    private static LockUnderTest hostsync(SharedRegion region, String backend, boolean owner) {
        return new LockUnderTest() {
            @Override
            public ReadWriteLock readWriteLock() {
                return region.lock();
            }

            @Override
            public List<String> joinArguments() {
                return List.of("hostsync", backend, region.name());
            }

            @Override
            public Path sleepFile() {
                return region.file();
            }

            @Override
            public boolean pollingWaiter() {
                return "file".equals(backend);
            }

            @Override
            public void close() {
                if (owner) {
                    Regions.closeAndDelete(region);
                } else {
                    region.close();
                }
            }
        };
    }

    /** @return a new non-fair {@link ReentrantReadWriteLock} */
    static LockUnderTest reentrantReadWriteLock() {
        return jvmLocal(new ReentrantReadWriteLock());
    }

    /** @return the read-write view of a new {@link StampedLock} */
    static LockUnderTest stampedLock() {
        return jvmLocal(new StampedLock().asReadWriteLock());
    }

    private static LockUnderTest jvmLocal(ReadWriteLock lock) {
        return new LockUnderTest() {
            @Override
            public ReadWriteLock readWriteLock() {
                return lock;
            }

            @Override
            public List<String> joinArguments() {
                return null;
            }

            @Override
            public void close() {
                // nothing outside the heap
            }
        };
    }

    /** @return a {@link FileChannelReadWriteLock} on a new file {@code /dev/shm/bench-<random>.filelock} */
    static LockUnderTest fileChannel() {
        return fileChannel(Path.of("/dev/shm", Regions.uniqueName() + ".filelock"), true);
    }

    private static LockUnderTest fileChannel(Path file, boolean owner) {
        FileChannelReadWriteLock lock = new FileChannelReadWriteLock(file);
        return new LockUnderTest() {
            @Override
            public ReadWriteLock readWriteLock() {
                return lock;
            }

            @Override
            public List<String> joinArguments() {
                return List.of("filechannel", file.toString());
            }

            @Override
            public void close() {
                lock.close();
                if (owner) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException e) {
                        throw new UncheckedIOException("Could not delete " + file, e);
                    }
                }
            }
        };
    }

    /**
     * Starts a {@link RedisServer} and a Redisson client of it.
     *
     * @return Redisson's read-write lock {@code bench-<random>}; closing it stops the server
     */
    static LockUnderTest redisson() {
        RedisServer server = RedisServer.start();
        try {
            return redisson(server.port(), Regions.uniqueName(), server);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static LockUnderTest redisson(int port, String lockName, RedisServer server) {
        Config config = new Config();
        // Redisson's defaults but for the idle connections opened up front (24): start quickly.
        config.useSingleServer().setAddress("redis://127.0.0.1:" + port).setConnectionMinimumIdleSize(1);
        RedissonClient client = Redisson.create(config);
        ReadWriteLock lock = client.getReadWriteLock(lockName);
        return new LockUnderTest() {
            @Override
            public ReadWriteLock readWriteLock() {
                return lock;
            }

            @Override
            public List<String> joinArguments() {
                return List.of("redisson", Integer.toString(port), lockName);
            }

            @Override
            public void close() {
                client.shutdown();
                if (server != null) {
                    server.close();
                }
            }
        };
    }

    /**
     * Joins, in a partner process, a lock another process created.
     *
     * @param arguments the creator's {@link #joinArguments()}
     * @return the same lock, seen from this process; closing it leaves the lock to its creator
     */
    static LockUnderTest join(List<String> arguments) {
        return switch (arguments.get(0)) {
            case "hostsync" -> hostsync(SharedRegion.open(Regions.options(arguments.get(2), arguments.get(1))),
                    arguments.get(1), false);
            case "filechannel" -> fileChannel(Path.of(arguments.get(1)), false);
            case "redisson" -> redisson(Integer.parseInt(arguments.get(1)), arguments.get(2), null);
            default -> throw new IllegalArgumentException(
                    "Unknown lock " + arguments + ": expected hostsync, filechannel or redisson");
        };
    }
}
