package dev.shoppulse.jobs.notifications;

import java.io.IOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * A redis-server of a test's own on a free port, keeping nothing on disk, so a restart loses every
 * key and script exactly as a production Redis without persistence does; the shared Redis is never
 * touched.
 */
final class PrivateRedis implements AutoCloseable {
    private final int port;
    private RedisServer server;

    private PrivateRedis(int port) throws IOException {
        this.port = port;
        this.server = newServer(port);
        server.start();
    }

    static PrivateRedis start() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return new PrivateRedis(port);
    }

    int port() {
        return port;
    }

    /** Stops the server and starts an empty one on the same port: every key and script is gone. */
    void restartEmpty() throws IOException {
        server.stop();
        server = newServer(port);
        server.start();
    }

    private static RedisServer newServer(int port) throws IOException {
        return RedisServer.newRedisServer()
                .bind("127.0.0.1")
                .port(port)
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
    }

    @Override
    public void close() throws IOException {
        server.stop();
    }
}
