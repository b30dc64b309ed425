package dev.shoppulse.common.redis;

import dev.shoppulse.common.config.Secrets;
import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import java.io.Serializable;
import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/**
 * Where Redis is and how to reach it, small and serializable so Flink functions can carry it; the
 * password is not part of it: {@link Redis#open} reads it from the environment ({@code
 * SHOPPULSE_REDIS_PASSWORD}) on the machine that connects.
 */
public record RedisSettings(String host, int port, Duration timeout, String keyPrefix)
        implements Serializable {

    public static RedisSettings from(ShopPulseConfig config) {
        return new RedisSettings(
                config.get(Settings.REDIS_HOST),
                config.getInt(Settings.REDIS_PORT),
                config.getDuration(Settings.REDIS_TIMEOUT),
                config.get(Settings.REDIS_KEY_PREFIX));
    }

    public RedisKeys keys() {
        return new RedisKeys(keyPrefix);
    }

    /** The same Redis under another port (tests with a private server). */
    public RedisSettings withPort(int newPort) {
        return new RedisSettings(host, newPort, timeout, keyPrefix);
    }

    /** The password from the environment of the process that connects, or null. */
    static String passwordFromEnvironment() {
        return Secrets.fromEnvironment(Settings.REDIS_PASSWORD);
    }

    /**
     * A bare pooled client for code not yet on {@link Redis}; the caller closes it. Prefer {@link
     * Redis#open}, which reloads scripts in pipelines and surfaces every failure.
     */
    public RedisClient connect() {
        DefaultJedisClientConfig.Builder cfg =
                DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis((int) timeout.toMillis())
                        .socketTimeoutMillis((int) timeout.toMillis());
        String password = passwordFromEnvironment();
        if (password != null) {
            cfg.password(password);
        }
        return RedisClient.builder()
                .hostAndPort(new HostAndPort(host, port))
                .clientConfig(cfg.build())
                .build();
    }
}
