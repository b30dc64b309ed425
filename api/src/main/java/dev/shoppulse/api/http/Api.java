package dev.shoppulse.api.http;

import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.shoppulse.common.serde.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the Javalin app: resources, static pages, canonical routing, and problem+json for every
 * error, including the ones Jetty and Javalin raise before our handlers run.
 */
public final class Api {
    private static final Logger LOG = LoggerFactory.getLogger(Api.class);

    /** Bodies larger than this are refused with 413 before any handler reads them. */
    public static final long MAX_BODY_BYTES = 1024 * 1024;

    private static final Set<HandlerType> ENDPOINT_METHODS =
            Set.of(
                    HandlerType.GET,
                    HandlerType.POST,
                    HandlerType.PUT,
                    HandlerType.PATCH,
                    HandlerType.DELETE,
                    HandlerType.HEAD,
                    HandlerType.OPTIONS);

    /** One registered route: what the authorization matrix and the README enumerate. */
    public record Route(String method, String path, Access access) {}

    private Api() {}

    public static Javalin create(List<Resource> resources) {
        return Javalin.create(
                config -> {
                    config.startup.showJavalinBanner = false;
                    // Variants of a path reach the same route, so the route's template (which
                    // every policy uses) is the only thing that decides; case variants are 404.
                    config.router.ignoreTrailingSlashes = true;
                    config.router.treatMultipleSlashesAsSingleSlash = true;
                    config.router.caseInsensitiveRoutes = false;
                    config.http.prefer405over404 = true;
                    config.http.maxRequestSize = MAX_BODY_BYTES;
                    config.jetty.modifyHttpConfiguration(
                            h -> {
                                h.setSendServerVersion(false);
                                h.setSendXPoweredBy(false);
                            });
                    config.jetty.modifyServer(s -> s.setErrorHandler(new ProblemErrorHandler()));
                    config.jetty.modifyServletContextHandler(
                            h -> h.setErrorHandler(new ProblemErrorHandler()));
                    config.staticFiles.add("/public", Location.CLASSPATH);
                    Routes routes = new Routes(config.routes);
                    resources.forEach(r -> r.routes(routes));
                    config.routes.exception(ApiException.class, ProblemErrorHandler::render);
                    config.routes.exception(
                            HttpResponseException.class,
                            (e, ctx) -> httpProblem(ctx, e.getStatus()));
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
                                if (!isProblem(ctx)) {
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
                                            ctx.method() + " is not allowed here"));
                    config.routes.error(
                            413,
                            ctx -> {
                                if (!isProblem(ctx)) {
                                    problem(
                                            ctx,
                                            413,
                                            "payload-too-large",
                                            "Payload too large",
                                            "the body is larger than the server accepts");
                                }
                            });
                });
    }

    /** Javalin's own refusals (no route, too large, ...) as problems like ours. */
    private static void httpProblem(Context ctx, int status) {
        switch (status) {
            case 404 -> problem(ctx, 404, "not-found", "Not found", "No resource at " + ctx.path());
            case 405 ->
                    problem(
                            ctx,
                            405,
                            "method-not-allowed",
                            "Method not allowed",
                            ctx.method() + " is not allowed here");
            case 413 ->
                    problem(
                            ctx,
                            413,
                            "payload-too-large",
                            "Payload too large",
                            "the body is larger than " + MAX_BODY_BYTES + " bytes");
            default ->
                    problem(
                            ctx,
                            status,
                            "http-" + status,
                            io.javalin.http.HttpStatus.forStatus(status).getMessage(),
                            "the request was refused");
        }
    }

    private static boolean isProblem(Context ctx) {
        String ct = ctx.res().getContentType();
        return ct != null && ct.startsWith(Problem.CONTENT_TYPE);
    }

    /** Every endpoint the app routes to, with its access rule (null when it has none). */
    public static List<Route> routes(Javalin app) {
        List<Route> out = new ArrayList<>();
        for (ParsedEndpoint p : app.unsafe.internalRouter.allHttpHandlers()) {
            Endpoint e = p.endpoint;
            if (ENDPOINT_METHODS.contains(e.method)) {
                out.add(new Route(e.method.name(), e.path, e.metadata(Access.class)));
            }
        }
        return out;
    }

    /**
     * The request body for a JSON endpoint: 415 when it is declared as something else (a missing
     * Content-Type is read as JSON), 413 beyond the server's limit.
     */
    public static byte[] jsonBody(Context ctx) {
        String ct = ctx.header("Content-Type");
        if (ct != null) {
            String media = ct.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!media.equals("application/json") && !media.endsWith("+json")) {
                throw new ApiException(
                        415,
                        "unsupported-media-type",
                        "Unsupported media type",
                        "the body must be application/json, not " + media);
            }
        }
        return ctx.bodyAsBytes();
    }

    /**
     * Reads a request record whose constructor checks its fields' domains; a malformed body or a
     * value outside its domain is 400 with the reason.
     */
    public static <T> T readJson(byte[] body, Class<T> type, String shape) {
        try {
            T value = Json.MAPPER.readValue(body, type);
            if (value == null) {
                throw ApiException.badRequest("the body must be JSON " + shape);
            }
            return value;
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            throw ApiException.badRequest(
                    cause instanceof IllegalArgumentException && cause.getMessage() != null
                            ? cause.getMessage()
                            : "the body must be JSON " + shape,
                    e);
        } catch (IOException e) {
            throw ApiException.badRequest("the body must be JSON " + shape, e);
        }
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
