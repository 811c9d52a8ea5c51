package dev.newsfacet.opensearch;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.opensearch.common.SetOnce;

/**
 * Drops one warning that every node after the first logs at start: OpenSearch keeps the node id and cluster
 * UUID for log lines in a JVM-wide set-once field, and only the first node in the JVM can set it. The
 * nodes work regardless; the warning (with its stack trace) would only make every start look broken.
 */
final class SharedLogStateFilter extends AbstractFilter {

    static void install() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addFilter(new SharedLogStateFilter());
        context.updateLoggers();
    }

    @Override
    public Result filter(LogEvent event) {
        Throwable thrown = event.getThrown();
        if (thrown instanceof SetOnce.AlreadySetException) {
            for (StackTraceElement frame : thrown.getStackTrace()) {
                if (frame.getClassName().endsWith(".NodeAndClusterIdConverter")) {
                    return Result.DENY;
                }
            }
        }
        return Result.NEUTRAL;
    }
}
