package io.hostsync.autoconfigure.cohort;

import java.time.Duration;
import java.util.List;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.integration.redis.util.RedisLockRegistry;

/**
 * Leases in Redis under the keys a {@link RedisLockRegistry} uses ({@code <registryKey>:<lock>},
 * the holder's id as value, a {@code PX} expiry), with the same scripts, but with the host's
 * identity as the holder instead of a per-registry random one: any process of the host may renew
 * or delete what another acquired, and a {@code RedisLockRegistry} with the same registry key
 * excludes the whole host, as another client.
 *
 * <p>Redis must not forget a lease while it runs: a server restarted without its data lets a
 * second host in at once. Run it with {@code appendonly yes} and {@code appendfsync always}, or
 * keep it down for longer than the lease time before it comes back empty (docs/scaling-out.md).
 */
public final class RedisRemoteLease implements RemoteLease {

    private static final RedisScript<Boolean> ACQUIRE = new DefaultRedisScript<>("""
            local holder = redis.call('GET', KEYS[1])
            if holder == ARGV[1] then
                redis.call('PEXPIRE', KEYS[1], ARGV[2])
                return true
            elseif not holder then
                redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
                return true
            end
            return false
            """, Boolean.class);

    private static final RedisScript<Boolean> RENEW = new DefaultRedisScript<>("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
                redis.call('PEXPIRE', KEYS[1], ARGV[2])
                return true
            end
            return false
            """, Boolean.class);

    private static final RedisScript<Boolean> RELEASE = new DefaultRedisScript<>("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
                redis.call('DEL', KEYS[1])
                return true
            end
            return false
            """, Boolean.class);

    private final StringRedisTemplate redis;

    private final String registryKey;

    private final String hostId;

    private RedisRemoteLease(StringRedisTemplate redis, String registryKey, String hostId) {
        this.redis = redis;
        this.registryKey = registryKey;
        this.hostId = hostId;
    }

    /**
     * Returns a factory of leases in one Redis.
     *
     * @param connectionFactory how to reach Redis
     * @param registryKey the prefix of the keys, as a {@link RedisLockRegistry}'s registry key
     * @return the factory
     */
    public static RemoteLease.Factory factory(RedisConnectionFactory connectionFactory, String registryKey) {
        StringRedisTemplate redis = new StringRedisTemplate(connectionFactory);
        return (hostId) -> new RedisRemoteLease(redis, registryKey, hostId);
    }

    @Override
    public boolean acquire(String key, Duration leaseTime) {
        return run(ACQUIRE, key, String.valueOf(leaseTime.toMillis()));
    }

    @Override
    public boolean renew(String key, Duration leaseTime) {
        return run(RENEW, key, String.valueOf(leaseTime.toMillis()));
    }

    @Override
    public boolean release(String key) {
        return run(RELEASE, key);
    }

    private boolean run(RedisScript<Boolean> script, String key, String... more) {
        Object[] arguments = new Object[1 + more.length];
        arguments[0] = this.hostId;
        System.arraycopy(more, 0, arguments, 1, more.length);
        return Boolean.TRUE.equals(this.redis.execute(script, List.of(this.registryKey + ":" + key), arguments));
    }

    @Override
    public String describe() {
        return "Redis keys '" + this.registryKey + ":*' (holder '" + this.hostId + "')";
    }
}
