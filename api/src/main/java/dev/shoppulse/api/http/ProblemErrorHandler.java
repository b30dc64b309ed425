package dev.shoppulse.api.http;

import dev.shoppulse.common.serde.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error page for what it refuses before Javalin sees the request (bad percent-encoding,
 * ambiguous paths, oversized headers): problem+json like every other error, never HTML, never a
 * cause or stack.
 */
public final class ProblemErrorHandler extends ErrorHandler {
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
}
