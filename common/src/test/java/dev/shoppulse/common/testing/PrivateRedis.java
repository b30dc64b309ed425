package dev.shoppulse.common.testing;

import dev.shoppulse.common.config.Settings;
import dev.shoppulse.common.config.ShopPulseConfig;
import dev.shoppulse.common.redis.RedisSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import redis.clients.jedis.RedisClient;
import redis.embedded.RedisServer;

/**
 * A redis-server of a test's own on a free port, keeping nothing on disk like the shared one, for
 * faults that must not disturb other tests: SCRIPT FLUSH, and {@link #restart()} (all data lost).
 */
public final class PrivateRedis implements AutoCloseable {
    private final int port;
    private RedisServer server;

    private PrivateRedis(int port) {
        this.port = port;
    }

    public static PrivateRedis start() {
        PrivateRedis r = new PrivateRedis(freePort());
        r.startServer();
        return r;
    }

    public int port() {
        return port;
    }

    /** {@code config} with its Redis host and port pointing at this server. */
    public ShopPulseConfig pointedAt(ShopPulseConfig config) {
        return config.with(Settings.REDIS_HOST, "127.0.0.1").with(Settings.REDIS_PORT, port);
    }

    /** Settings pointing at this server under the given key prefix. */
    public RedisSettings settings(String keyPrefix) {
        return new RedisSettings("127.0.0.1", port, Duration.ofSeconds(2), keyPrefix);
    }

    /** A bare client for the test's own checks and fault injection. */
    public RedisClient client() {
        return RedisClient.create("127.0.0.1", port);
    }

    /** Forgets every script, like a restart, but keeps the data. */
    public void scriptFlush() {
        try (RedisClient c = client()) {
            c.scriptFlush();
        }
    }

    /** Stops the server and starts a new one on the same port: every key and script is gone. */
    public void restart() {
        stopServer();
        startServer();
    }

    public void stopServer() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void startServer() {
        try {
            server =
                    RedisServer.newRedisServer()
                            .port(port)
                            .bind("127.0.0.1")
                            .setting("save \"\"")
                            .setting("appendonly no")
                            .build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stopServer();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
