package dev.shoppulse.api.http;

/** One capability's endpoints; {@link Api} registers every resource it is given. */
public interface Resource {
    void routes(Routes routes);
}
