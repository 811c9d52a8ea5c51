package dev.newsfacet.opensearch;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A real OpenSearch node whose modules (netty4 HTTP and transport, common analysis, painless) come from
 * the classpath instead of a distribution's modules/ folder, the way the test framework's MockNode does it.
 * Node's public constructor only loads plugins from disk, hence the subclass.
 *
 * Bootstrap checks (and the refusal to run as root) live in OpenSearch's Bootstrap class, which we never
 * call: Node.validateNodeBeforeAcceptingRequests does nothing unless a subclass makes it check.
 */
final class DevNode extends Node {

    static final List<Class<? extends Plugin>> MODULES = List.of(
        Netty4Plugin.class, CommonAnalysisPlugin.class, PainlessPlugin.class);

    DevNode(Settings settings, Path configDir) {
        super(InternalSettingsPreparer.prepareEnvironment(settings, Collections.emptyMap(), configDir,
                () -> settings.get("node.name")),
            MODULES, true);
    }
}
