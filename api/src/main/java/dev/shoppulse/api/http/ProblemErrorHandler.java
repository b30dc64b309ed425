package dev.shoppulse.api.http;

import dev.shoppulse.common.serde.Json;
import io.javalin.http.Context;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Problem+json for every error, never HTML, never a cause or stack: Jetty's error page for what it
 * refuses before Javalin sees the request (bad percent-encoding, ambiguous paths, oversized
 * headers), and the rendering of the {@link ApiException}s our handlers throw, whose cause goes to
 * the log instead.
 */
public final class ProblemErrorHandler extends ErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorHandler.class);

    public ProblemErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    /**
     * Jetty writes error bodies only for GET, POST and HEAD by default: a PUT or DELETE refused
     * before routing (an oversized request line, say) would get an empty body and no Content-Type.
     */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(
            Request request,
            Response response,
            int code,
            String message,
            Throwable cause,
            Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body(code)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        return ByteBuffer.wrap(body(status));
    }

    static byte[] body(int code) {
        String title = HttpStatus.getMessage(code);
        return Json.writeString(
                        new Problem(
                                Problem.TYPE_BASE + (code == 400 ? "bad-request" : "http-" + code),
                                title,
                                code,
                                code == 400
                                        ? "the request is malformed (request line, path encoding"
                                                + " or headers)"
                                        : title,
                                null))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Answers a handler's {@link ApiException}: its headers and problem, its cause to the log. */
    static void render(ApiException e, Context ctx) {
        logCause(LOG, e, String.valueOf(ctx.method()), ctx.path());
        e.headers().forEach(ctx::header);
        Api.problem(ctx, e.status(), e.type(), e.title(), e.getMessage());
    }

    /**
     * Logs the failure behind a problem with its stack trace: a 5xx means something of ours broke
     * and an operator needs the cause; a 4xx with a cause (a parse error behind a 400) is only
     * worth it when debugging. A problem without a cause is the client's and is not logged.
     */
    static void logCause(Logger log, ApiException e, String method, String path) {
        Throwable cause = e.getCause();
        if (cause == null) {
            return;
        }
        if (e.status() >= 500) {
            log.warn("{} {} answered {}: {}", method, path, e.status(), e.getMessage(), cause);
        } else {
            log.debug("{} {} answered {}: {}", method, path, e.status(), e.getMessage(), cause);
        }
    }
}
