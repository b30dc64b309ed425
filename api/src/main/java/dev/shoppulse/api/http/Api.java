package dev.shoppulse.api.http;

import dev.shoppulse.common.serde.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the Javalin app: resources, static pages, and problem+json for every error. */
public final class Api {
    private static final Logger LOG = LoggerFactory.getLogger(Api.class);

    private Api() {}

    public static Javalin create(List<Resource> resources) {
        return Javalin.create(
                config -> {
                    config.startup.showJavalinBanner = false;
                    config.staticFiles.add("/public", Location.CLASSPATH);
                    resources.forEach(r -> r.routes(config.routes));
                    config.routes.exception(
                            ApiException.class,
                            (e, ctx) -> {
                                e.headers().forEach(ctx::header);
                                problem(ctx, e.status(), e.type(), e.title(), e.getMessage());
                            });
                    config.routes.exception(
                            Exception.class,
                            (e, ctx) -> {
                                // Log the cause for operators; the client gets no internals.
                                LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
                                problem(
                                        ctx,
                                        500,
                                        "internal",
                                        "Internal server error",
                                        "The request failed; it has been logged.");
                            });
                    config.routes.error(
                            404,
                            ctx -> {
                                if (!Problem.CONTENT_TYPE.equals(ctx.res().getContentType())) {
                                    problem(
                                            ctx,
                                            404,
                                            "not-found",
                                            "Not found",
                                            "No resource at " + ctx.path());
                                }
                            });
                    config.routes.error(
                            405,
                            ctx ->
                                    problem(
                                            ctx,
                                            405,
                                            "method-not-allowed",
                                            "Method not allowed",
                                            ctx.method() + " is not allowed on " + ctx.path()));
                });
    }

    public static void problem(Context ctx, int status, String type, String title, String detail) {
        ctx.status(status);
        ctx.contentType(Problem.CONTENT_TYPE);
        ctx.result(
                Json.writeString(
                        new Problem(Problem.TYPE_BASE + type, title, status, detail, ctx.path())));
    }

    /** Writes a JSON body with status 200 (or whatever status the handler set). */
    public static void json(Context ctx, Object body) {
        ctx.contentType("application/json");
        ctx.result(Json.write(body));
    }
}
