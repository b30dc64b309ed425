package dev.shoppulse.common.topics;

import dev.shoppulse.common.capability.Capabilities;
import java.util.List;

/**
 * Every Kafka topic ShopPulse reads or writes. Each capability declares its own topics in its
 * definition (for example {@code OrdersCapability.ORDERS}); this is their union.
 */
public final class Topics {
    private Topics() {}

    /** In the registry's order, which README follows. */
    public static final List<Topic<?>> ALL = Capabilities.topics();
}
