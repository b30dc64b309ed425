package dev.shoppulse.jobs.flink;

import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;

/** How often a MiniCluster job has restarted: the highest attempt number of any of its tasks. */
public final class Restarts {
    private Restarts() {}

    public static int of(MiniCluster cluster, JobID job) {
        try {
            int max = 0;
            for (AccessExecutionVertex v :
                    cluster.getExecutionGraph(job).get().getAllExecutionVertices()) {
                max = Math.max(max, v.getCurrentExecutionAttempt().getAttemptNumber());
            }
            return max;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the execution graph of " + job, e);
        }
    }
}
