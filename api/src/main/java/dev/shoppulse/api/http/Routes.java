package dev.shoppulse.api.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import io.javalin.router.Endpoint;
import java.util.function.Consumer;

/**
 * Where a resource registers its routes: every endpoint is registered together with its {@link
 * Access}, so there is no way to add a route without saying who may call it.
 */
public final class Routes {
    private final RoutesConfig config;

    public Routes(RoutesConfig config) {
        this.config = config;
    }

    public Routes get(String path, Access access, Handler handler) {
        return add(HandlerType.GET, path, access, handler);
    }

    public Routes post(String path, Access access, Handler handler) {
        return add(HandlerType.POST, path, access, handler);
    }

    public Routes delete(String path, Access access, Handler handler) {
        return add(HandlerType.DELETE, path, access, handler);
    }

    /** A Server-Sent Events stream (GET). */
    public Routes sse(String path, Access access, Consumer<SseClient> client) {
        return add(HandlerType.GET, path, access, new SseHandler(client));
    }

    /** Runs after the caller is identified and authorised, before the route's handler. */
    public Routes beforeMatched(String path, Handler handler) {
        config.beforeMatched(path, handler);
        return this;
    }

    /** Runs on every matched request before any resource's own checks (filters only). */
    public Routes beforeMatched(Handler handler) {
        config.beforeMatched(handler);
        return this;
    }

    /** Runs after every request, matched or not (filters only). */
    public Routes after(Handler handler) {
        config.after(handler);
        return this;
    }

    private Routes add(HandlerType method, String path, Access access, Handler handler) {
        config.addEndpoint(Endpoint.create(method, path).addMetadata(access).handler(handler));
        return this;
    }
}
