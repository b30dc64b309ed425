package dev.shoppulse.api.http;

import io.javalin.config.RoutesConfig;

/** One capability's endpoints; {@link Api} registers every resource it is given. */
public interface Resource {
    void routes(RoutesConfig routes);
}
