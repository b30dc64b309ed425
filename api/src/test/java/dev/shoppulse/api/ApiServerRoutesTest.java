package dev.shoppulse.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoppulse.api.http.Access;
import dev.shoppulse.api.http.Api;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's routes must be the registry's: a route missing from either side stops the start. */
class ApiServerRoutesTest {
    private static final Access OPEN = Access.open("test");

    @Test
    void theSameRoutesInAnyOrderPass() {
        ApiServer.checkRoutes(
                List.of(new Api.Route("POST", "/b", OPEN), new Api.Route("GET", "/a", OPEN)),
                List.of("GET /a", "POST /b"));
    }

    @Test
    void aServedRouteTheRegistryDoesNotDeclareIsRefused() {
        assertThatThrownBy(
                        () ->
                                ApiServer.checkRoutes(
                                        List.of(
                                                new Api.Route("GET", "/a", OPEN),
                                                new Api.Route("DELETE", "/a", OPEN)),
                                        List.of("GET /a")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("served but not declared [DELETE /a]");
    }

    @Test
    void aDeclaredRouteTheServerDoesNotServeIsRefused() {
        assertThatThrownBy(
                        () ->
                                ApiServer.checkRoutes(
                                        List.of(new Api.Route("GET", "/a", OPEN)),
                                        List.of("GET /a", "GET /b")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("declared but not served [GET /b]");
    }
}
