package io.hostsync.autoconfigure.cohort;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * Leases in Redis under the keys a {@link RedisLockRegistry} uses ({@code <registryKey>:<lock>},
 * the holder's id as value, a {@code PX} expiry), with the same scripts, but with the host's
 * identity as the holder instead of a per-registry random one: any process of the host may renew
 * or delete what another acquired, and a {@code RedisLockRegistry} with the same registry key
 * excludes the whole host, as another client.
 *
 * <p>A release publishes what a {@code RedisLockRegistry} in {@code PUB_SUB_LOCK} mode publishes:
 * the key, on the channel {@code <registryKey>-channel:<registryKey>:<lock>}. Each factory (one per
 * JVM) subscribes to {@code <registryKey>-channel:*} once a lease is waited for, and wakes the
 * threads waiting for that key ({@link #awaitRelease}); so a waiting host, or a waiting
 * {@code RedisLockRegistry} lock, takes the key as soon as it is released. Polling every retry
 * interval stays as the fallback: no exclusion depends on a message.
 *
 * <p>A release for fairness ({@link #releaseYielding}) also sets the marker key
 * {@code {<registryKey>:<lock>}-hostsync-yield} (in the lock key's hash slot, see
 * {@link #yieldKey}) to the host's identity, with the yield time as its {@code PX} expiry: while
 * it is there, this host's acquisitions of the key are refused; any other host's acquisition
 * deletes it. So the host stays away until another host has taken the key,
 * or the yield time has passed.
 *
 * <p>Redis must not forget a lease while it runs: a server restarted without its data lets a
 * second host in at once. Run it with {@code appendonly yes} and {@code appendfsync always}, or
 * keep it down for longer than the lease time before it comes back empty (docs/scaling-out.md).
 */
public final class RedisRemoteLease implements RemoteLease {

    private static final Log logger = LogFactory.getLog(RedisRemoteLease.class);

    /** The prefix of the threads that deliver release notifications, followed by the factory's number. */
    static final String THREAD_PREFIX = "hostsync-cohort-redis-";

    private static final AtomicInteger factories = new AtomicInteger();

    /** KEYS: lock, yield marker. ARGV: host, lease millis. 1: taken; 0: another holds it; -n: yielding for n ms. */
    private static final RedisScript<Long> ACQUIRE = new DefaultRedisScript<>("""
            local holder = redis.call('GET', KEYS[1])
            if holder == ARGV[1] then
                redis.call('PEXPIRE', KEYS[1], ARGV[2])
                return 1
            elseif not holder then
                local yielding = redis.call('GET', KEYS[2])
                if yielding == ARGV[1] then
                    return -math.max(redis.call('PTTL', KEYS[2]), 1)
                end
                redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
                if yielding then
                    redis.call('DEL', KEYS[2])
                end
                return 1
            end
            return 0
            """, Long.class);

    /** KEYS: lock. ARGV: host, lease millis. 1: taken; 0: another holds it. For keys with no marker. */
    private static final RedisScript<Long> ACQUIRE_PLAIN = new DefaultRedisScript<>("""
            local holder = redis.call('GET', KEYS[1])
            if holder == ARGV[1] then
                redis.call('PEXPIRE', KEYS[1], ARGV[2])
                return 1
            elseif not holder then
                redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
                return 1
            end
            return 0
            """, Long.class);

    private static final RedisScript<Boolean> RENEW = new DefaultRedisScript<>("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
                redis.call('PEXPIRE', KEYS[1], ARGV[2])
                return true
            end
            return false
            """, Boolean.class);

    /** KEYS: lock. ARGV: host, channel. As RedisLockRegistry's PUB_SUB_LOCK unlock. */
    private static final RedisScript<Boolean> RELEASE = new DefaultRedisScript<>("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
                redis.call('DEL', KEYS[1])
                redis.call('PUBLISH', ARGV[2], KEYS[1])
                return true
            end
            return false
            """, Boolean.class);

    /** KEYS: lock, yield marker. ARGV: host, channel, yield millis. */
    private static final RedisScript<Boolean> RELEASE_YIELDING = new DefaultRedisScript<>("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
                redis.call('DEL', KEYS[1])
                redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
                redis.call('PUBLISH', ARGV[2], KEYS[1])
                return true
            end
            return false
            """, Boolean.class);

    private final Leases leases;

    private final String hostId;

    /** This thread's last failed acquisition: what {@link #awaitRelease} waits from. */
    private final ThreadLocal<@Nullable Attempt> lastAttempt = new ThreadLocal<>();

    private RedisRemoteLease(Leases leases, String hostId) {
        this.leases = leases;
        this.hostId = hostId;
    }

    /**
     * Returns a factory of leases in one Redis. Close it when done: it stops the subscription to
     * release notifications, which it starts when a lease is first waited for.
     *
     * @param connectionFactory how to reach Redis
     * @param registryKey the prefix of the keys, as a {@link RedisLockRegistry}'s registry key
     * @return the factory
     */
    public static RemoteLease.Factory factory(RedisConnectionFactory connectionFactory, String registryKey) {
        return new Leases(connectionFactory, registryKey);
    }

    @Override
    public boolean acquire(String key, Duration leaseTime) {
        String lockKey = this.leases.lockKey(key);
        long generation = this.leases.wakeups.generation(lockKey);
        String yieldKey = yieldKey(lockKey);
        String leaseMillis = String.valueOf(leaseTime.toMillis());
        Long result = (yieldKey != null)
                ? this.leases.redis.execute(ACQUIRE, List.of(lockKey, yieldKey), this.hostId, leaseMillis)
                : this.leases.redis.execute(ACQUIRE_PLAIN, List.of(lockKey), this.hostId, leaseMillis);
        long outcome = (result != null) ? result : 0;
        if (outcome == 1) {
            this.lastAttempt.remove();
            return true;
        }
        this.lastAttempt.set(new Attempt(lockKey, generation, (outcome < 0) ? -outcome : 0));
        return false;
    }

    @Override
    public boolean renew(String key, Duration leaseTime) {
        return Boolean.TRUE.equals(this.leases.redis.execute(RENEW, List.of(this.leases.lockKey(key)), this.hostId,
                String.valueOf(leaseTime.toMillis())));
    }

    @Override
    public boolean release(String key) {
        String lockKey = this.leases.lockKey(key);
        return Boolean.TRUE.equals(this.leases.redis.execute(RELEASE, List.of(lockKey), this.hostId,
                this.leases.channel(lockKey)));
    }

    @Override
    public boolean releaseYielding(String key, Duration yieldTime) {
        String lockKey = this.leases.lockKey(key);
        String yieldKey = yieldKey(lockKey);
        if (yieldKey == null) {
            return release(key);
        }
        return Boolean.TRUE.equals(this.leases.redis.execute(RELEASE_YIELDING, List.of(lockKey, yieldKey),
                this.hostId, this.leases.channel(lockKey), String.valueOf(Math.max(yieldTime.toMillis(), 1))));
    }

    @Override
    public boolean yieldsInEngine(String key) {
        return yieldKey(this.leases.lockKey(key)) != null;
    }

    /**
     * The yield marker of a lock key, one per lock key, named so that it falls in the lock key's hash
     * slot (a script runs on the keys of one slot only, in a Redis Cluster):
     * {@code {<lock key>}-hostsync-yield}, whose hash tag is the whole lock key; or, for a lock key
     * with a hash tag of its own, {@code {<its tag>}-hostsync-yield:<lock key>}. Null for a lock key
     * with a '}' but no hash tag, which no braces can enclose: such a key yields by the clock.
     */
    static @Nullable String yieldKey(String lockKey) {
        int open = lockKey.indexOf('{');
        if (open >= 0) {
            int close = lockKey.indexOf('}', open + 1);
            if (close > open + 1) {
                return "{" + lockKey.substring(open + 1, close) + "}-hostsync-yield:" + lockKey;
            }
        }
        return (lockKey.indexOf('}') < 0) ? "{" + lockKey + "}-hostsync-yield" : null;
    }

    @Override
    public void awaitRelease(String key, long timeoutNanos) throws InterruptedException {
        String lockKey = this.leases.lockKey(key);
        Attempt attempt = this.lastAttempt.get();
        this.lastAttempt.remove();
        long timeout = timeoutNanos;
        long generation;
        if (attempt != null && attempt.lockKey().equals(lockKey)) {
            generation = attempt.generation();
            if (attempt.yieldMillis() > 0) {
                // refused for our own yield: nobody took the key yet; try again once the marker has expired
                timeout = Math.min(timeout, TimeUnit.MILLISECONDS.toNanos(attempt.yieldMillis()));
            }
        } else {
            generation = this.leases.wakeups.generation(lockKey);
        }
        // until the subscription runs no notification comes, and this is a sleep (the caller polls); when
        // it starts, every waiter is woken once, for a release it may have missed meanwhile
        this.leases.listen();
        this.leases.wakeups.await(lockKey, generation, timeout);
    }

    @Override
    public String describe() {
        return "Redis keys '" + this.leases.registryKey + ":*' (holder '" + this.hostId + "')";
    }

    /** A failed acquisition: the key, the notification generation before it, and how long the host yields. */
    private record Attempt(String lockKey, long generation, long yieldMillis) {
    }

    /**
     * The factory: one template and one subscription for all the hosts' leases of a JVM. As a bean,
     * it stops its subscription in the context's first stop phase, as a listener container does,
     * before the connection factory stops.
     */
    static final class Leases implements RemoteLease.Factory, SmartLifecycle {

        private final RedisConnectionFactory connectionFactory;

        final StringRedisTemplate redis;

        final String registryKey;

        final Wakeups wakeups = new Wakeups();

        private @Nullable RedisMessageListenerContainer container;

        private @Nullable ExecutorService executor;

        private final String threadPrefix = THREAD_PREFIX + factories.incrementAndGet() + "-";

        private boolean closed;

        /** Whether {@link #listen()} has started the subscription and the factory is open. */
        private volatile boolean started;

        Leases(RedisConnectionFactory connectionFactory, String registryKey) {
            this.connectionFactory = connectionFactory;
            this.redis = new StringRedisTemplate(connectionFactory);
            this.registryKey = registryKey;
        }

        @Override
        public RemoteLease forHost(String hostId) {
            return new RedisRemoteLease(this, hostId);
        }

        /** The prefix of the names of this factory's threads: for tests. */
        String threadPrefix() {
            return this.threadPrefix;
        }

        String lockKey(String key) {
            return this.registryKey + ":" + key;
        }

        /** The channel of a lock key, as RedisLockRegistry's PUB_SUB_LOCK mode names it. */
        String channel(String lockKey) {
            return this.registryKey + "-channel:" + lockKey;
        }

        /**
         * Starts subscribing to the release notifications, once, in the background.
         *
         * @return whether the subscription runs; if not (starting, closed, or Redis unreachable),
         *     waiters poll
         */
        boolean listen() {
            return this.started || startListening();
        }

        /**
         * Starts the subscription in the background, once: a container's start waits until Redis
         * answers, which must not hold up a waiter (its acquisition has a timeout) while Redis is
         * down. Until the subscription runs, waiters poll.
         */
        private synchronized boolean startListening() {
            if (this.closed || this.container != null) {
                return false; // closed, or the subscription is being started
            }
            AtomicInteger threads = new AtomicInteger();
            ExecutorService executor = Executors.newCachedThreadPool((task) -> {
                Thread thread = new Thread(task, this.threadPrefix + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            RedisMessageListenerContainer container = new RedisMessageListenerContainer();
            container.setConnectionFactory(this.connectionFactory);
            container.setTaskExecutor(executor);
            container.setSubscriptionExecutor(executor);
            container.setRecoveryInterval(1000);
            container.addMessageListener(this.wakeups, new PatternTopic(this.registryKey + "-channel:*"));
            this.container = container;
            this.executor = executor;
            executor.execute(() -> subscribe(container));
            return false;
        }

        private void subscribe(RedisMessageListenerContainer container) {
            try {
                container.afterPropertiesSet();
                container.start();
                synchronized (this) {
                    this.started = (this.container == container); // not closed meanwhile
                }
                this.wakeups.wakeAll(); // waiters that began before the subscription may have missed a release
            } catch (RuntimeException ex) {
                logger.debug("Could not subscribe to the release notifications of Redis keys '" + this.registryKey
                        + ":*'; waiting hosts poll every retry interval, and the next wait tries again", ex);
                synchronized (this) {
                    if (this.container != container) {
                        return; // closed meanwhile
                    }
                    this.container = null; // the next wait tries again
                    ExecutorService executor = this.executor;
                    this.executor = null;
                    if (executor != null) {
                        executor.shutdown();
                    }
                }
                destroy(container);
            }
        }

        private void destroy(RedisMessageListenerContainer container) {
            try {
                container.destroy();
            } catch (Exception ex) {
                logger.debug("Could not stop the subscription to Redis keys '" + this.registryKey + ":*'", ex);
            }
        }

        /**
         * Whether the notifications are subscribed to now: for tests.
         *
         * @return whether the subscription runs
         */
        synchronized boolean listening() {
            return this.container != null && this.container.isRunning();
        }

        /** Lets {@link #listen()} subscribe again after a {@link #stop()}. */
        @Override
        public synchronized void start() {
            this.closed = false;
        }

        @Override
        public void stop() {
            close();
        }

        @Override
        public synchronized boolean isRunning() {
            return this.container != null;
        }

        @Override
        public int getPhase() {
            return Integer.MAX_VALUE; // stopped first, as a RedisMessageListenerContainer
        }

        @Override
        public void close() {
            RedisMessageListenerContainer container;
            ExecutorService executor;
            synchronized (this) {
                this.closed = true;
                this.started = false;
                container = this.container;
                executor = this.executor;
                this.container = null;
                this.executor = null;
            }
            // not under the monitor, which a subscription still starting takes when Redis answers
            if (executor != null) {
                executor.shutdownNow(); // interrupts a start still waiting for Redis
            }
            if (container != null) {
                destroy(container);
            }
            if (executor != null) {
                try {
                    executor.awaitTermination(10, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * The release notifications of a JVM: a generation counter per stripe of lock keys, raised by
     * every notification of a key of the stripe. A waiter notes the generation before its failed
     * acquisition and waits until it changes: a notification in between is not missed, and one for
     * another key of the stripe only makes it try again.
     */
    static final class Wakeups implements MessageListener {

        private static final int STRIPES = 256;

        private final AtomicLong[] generations = new AtomicLong[STRIPES];

        Wakeups() {
            for (int i = 0; i < STRIPES; i++) {
                this.generations[i] = new AtomicLong();
            }
        }

        private AtomicLong stripe(String lockKey) {
            return this.generations[(lockKey.hashCode() & 0x7fffffff) % STRIPES];
        }

        long generation(String lockKey) {
            return stripe(lockKey).get();
        }

        @Override
        public void onMessage(Message message, byte @Nullable [] pattern) {
            AtomicLong stripe = stripe(new String(message.getBody(), StandardCharsets.UTF_8));
            stripe.incrementAndGet();
            synchronized (stripe) {
                stripe.notifyAll();
            }
        }

        /** Wakes every waiter once, to try again. */
        void wakeAll() {
            for (AtomicLong stripe : this.generations) {
                stripe.incrementAndGet();
                synchronized (stripe) {
                    stripe.notifyAll();
                }
            }
        }

        void await(String lockKey, long generation, long timeoutNanos) throws InterruptedException {
            AtomicLong stripe = stripe(lockKey);
            long deadline = System.nanoTime() + timeoutNanos;
            synchronized (stripe) {
                long remaining = timeoutNanos;
                while (stripe.get() == generation && remaining > 0) {
                    TimeUnit.NANOSECONDS.timedWait(stripe, remaining);
                    remaining = deadline - System.nanoTime();
                }
            }
        }
    }
}
