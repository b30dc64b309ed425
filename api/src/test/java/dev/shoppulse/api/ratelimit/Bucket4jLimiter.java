package dev.shoppulse.api.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.serialization.Mapper;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.UnifiedJedis;

/**
 * Bucket4j-Jedis (compare-and-swap proxy manager) behind our {@link Limiter} interface, as the
 * reference the contract suite holds our limiter to: a token bucket of capacity {@code burst}
 * refilled greedily at {@code limit} per window is the same admission rule as our GCRA.
 */
public final class Bucket4jLimiter implements Limiter {
    private final ProxyManager<String> proxies;
    private final String prefix;
    private final Map<Policy, BucketConfiguration> configs = new ConcurrentHashMap<>();

    public Bucket4jLimiter(UnifiedJedis redis, String prefix) {
        this.proxies =
                Bucket4jJedis.casBasedBuilder(redis)
                        .expirationAfterWrite(
                                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                                        Duration.ofSeconds(10)))
                        .keyMapper(Mapper.STRING)
                        .build();
        this.prefix = prefix;
    }

    @Override
    public Decision acquire(String subject, Policy policy, int concurrency) {
        BucketConfiguration conf =
                configs.computeIfAbsent(
                        policy,
                        p ->
                                BucketConfiguration.builder()
                                        .addLimit(
                                                Bandwidth.builder()
                                                        .capacity(p.burst())
                                                        .refillGreedy(p.limit(), p.window())
                                                        .build())
                                        .build());
        ConsumptionProbe probe =
                proxies.builder()
                        .build(prefix + ":b4j:" + subject, () -> conf)
                        .tryConsumeAndReturnRemaining(1);
        return new Decision(
                probe.isConsumed(),
                probe.getRemainingTokens(),
                probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill() / 1000,
                probe.getNanosToWaitForReset() / 1000,
                probe.isConsumed() ? Decision.Reason.OK : Decision.Reason.RATE,
                Decision.Source.REDIS,
                null);
    }

    @Override
    public void release(String subject, String leaseId) {}
}
