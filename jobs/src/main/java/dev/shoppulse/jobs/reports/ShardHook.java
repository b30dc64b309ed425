package dev.shoppulse.jobs.reports;

import java.io.Serializable;

/**
 * Called before every shard execution: tests count executions and inject failures through it;
 * production uses {@link #NONE}.
 */
@FunctionalInterface
public interface ShardHook extends Serializable {
    ShardHook NONE = shard -> {};

    void beforeExecuting(ReportShard shard) throws Exception;
}
