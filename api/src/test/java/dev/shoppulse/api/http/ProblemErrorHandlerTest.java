package dev.shoppulse.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The failure behind a problem reaches the log with its stack trace, and only the log. */
class ProblemErrorHandlerTest {
    /** One call on the logger: the level method and its arguments. */
    record Call(String level, List<Object> args) {}

    private final List<Call> calls = new ArrayList<>();

    private final Logger log =
            (Logger)
                    Proxy.newProxyInstance(
                            Logger.class.getClassLoader(),
                            new Class<?>[] {Logger.class},
                            (proxy, method, args) -> {
                                if (method.getName().startsWith("is")) {
                                    return true;
                                }
                                calls.add(
                                        new Call(
                                                method.getName(),
                                                args == null ? List.of() : flatten(args)));
                                return null;
                            });

    /** Varargs logger calls arrive as a trailing Object[]. */
    private static List<Object> flatten(Object[] args) {
        List<Object> out = new ArrayList<>();
        for (Object a : args) {
            if (a instanceof Object[] more) {
                out.addAll(Arrays.asList(more));
            } else {
                out.add(a);
            }
        }
        return out;
    }

    @Test
    void serverErrorIsLoggedWithItsCauseAsTheThrowable() {
        SQLException cause = new SQLException("connection refused: db.internal:5432");
        ApiException e = ApiException.unavailable("order store unavailable", cause);

        ProblemErrorHandler.logCause(log, e, "GET", "/v1/orders/o-1");

        assertThat(e.getCause()).isSameAs(cause);
        assertThat(e.getMessage()).isEqualTo("order store unavailable");
        assertThat(calls).hasSize(1);
        Call call = calls.get(0);
        assertThat(call.level()).isEqualTo("warn");
        // Last argument and not a placeholder's value: SLF4J then prints the stack trace.
        assertThat(call.args().get(call.args().size() - 1)).isSameAs(cause);
        assertThat(call.args()).contains("GET", "/v1/orders/o-1", 503);
        assertThat(call.args()).noneMatch(a -> a instanceof String s && s.contains("db.internal"));
    }

    @Test
    void clientErrorWithACauseIsLoggedOnlyForDebugging() {
        IllegalArgumentException cause = new IllegalArgumentException("bad digit");
        ProblemErrorHandler.logCause(
                log, ApiException.badRequest("commentId must be an integer", cause), "GET", "/x");

        assertThat(calls).singleElement().satisfies(c -> assertThat(c.level()).isEqualTo("debug"));
        assertThat(calls.get(0).args().get(calls.get(0).args().size() - 1)).isSameAs(cause);
    }

    @Test
    void problemWithoutACauseIsNotLogged() {
        ProblemErrorHandler.logCause(log, ApiException.notFound("no order o-1"), "GET", "/x");
        ProblemErrorHandler.logCause(log, ApiException.unavailable("down"), "GET", "/x");

        assertThat(calls).isEmpty();
    }
}
