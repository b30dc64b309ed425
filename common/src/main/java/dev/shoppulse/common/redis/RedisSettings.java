package dev.shoppulse.common.redis;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import java.io.Serializable;
import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/** Where Redis is and how to reach it, small and serializable so Flink functions can carry it. */
public record RedisSettings(
        String host, int port, String password, Duration timeout, String keyPrefix)
        implements Serializable {

    public static RedisSettings from(ShopPulseConfig config) {
        return new RedisSettings(
                config.get(Settings.REDIS_HOST),
                config.getInt(Settings.REDIS_PORT),
                config.getOrNull(Settings.REDIS_PASSWORD),
                config.getDuration(Settings.REDIS_TIMEOUT),
                config.get(Settings.REDIS_KEY_PREFIX));
    }

    public RedisKeys keys() {
        return new RedisKeys(keyPrefix);
    }

    /** A pooled, thread-safe client; the caller closes it. */
    public RedisClient connect() {
        DefaultJedisClientConfig.Builder cfg =
                DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis((int) timeout.toMillis())
                        .socketTimeoutMillis((int) timeout.toMillis());
        if (password != null) {
            cfg.password(password);
        }
        return RedisClient.builder()
                .hostAndPort(new HostAndPort(host, port))
                .clientConfig(cfg.build())
                .build();
    }

    @Override
    public String toString() {
        return "RedisSettings[" + host + ":" + port + ", prefix=" + keyPrefix + "]";
    }
}
