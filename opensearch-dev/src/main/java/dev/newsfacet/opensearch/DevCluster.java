package dev.newsfacet.opensearch;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.opensearch.Version;
import org.opensearch.action.admin.cluster.health.ClusterHealthResponse;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.core.xcontent.XContentBuilder;

/**
 * Starts a small OpenSearch cluster in this JVM: N real nodes talking netty4 over loopback, node-0 the only
 * cluster-manager-eligible node (so stopping any other node leaves the cluster serving from replicas).
 *
 * When the cluster reports its nodes joined and at least yellow, it prints the HTTP URLs and writes
 * cluster.json (pid, node URLs, control URL) beside cluster.pid in the data folder. SIGTERM closes every
 * node and removes both files. A loopback control endpoint (see {@link ControlServer}) stops and restarts
 * single nodes, for tests of a node lost mid-search.
 *
 * A development aid: no security plugin, plain HTTP, bound to 127.0.0.1 only.
 */
public final class DevCluster {

    static final String USAGE = String.join("\n",
        "usage: java -jar opensearch-dev.jar [options]",
        "  --nodes N            number of nodes (default 2)",
        "  --http-port P        HTTP port of node-0; node-i listens on P+i (default 9200)",
        "  --transport-port T   transport port of node-0; node-i on T+i (default HTTP port + 100)",
        "  --data DIR           data folder: node-i/ for each node, cluster.pid, cluster.json, cluster.log",
        "                       (default ./data)",
        "  --cluster-name NAME  (default newsfacet-dev)",
        "  --timeout SECONDS    how long to wait for the cluster to form (default 120)",
        "  --parent-pid PID     stop the cluster when that process ends (tests pass their own pid, so a",
        "                       killed test run never leaves a cluster behind)");

    final int nodeCount;
    final int httpPort;
    final int transportPort;
    final Path dataDir;
    final String clusterName;
    final int timeoutSeconds;
    final Long parentPid;

    private final List<DevNode> nodes = new ArrayList<>();
    private boolean closing;
    private ControlServer control;

    DevCluster(int nodeCount, int httpPort, int transportPort, Path dataDir, String clusterName, int timeoutSeconds,
               Long parentPid) {
        this.nodeCount = nodeCount;
        this.httpPort = httpPort;
        this.transportPort = transportPort;
        this.dataDir = dataDir;
        this.clusterName = clusterName;
        this.timeoutSeconds = timeoutSeconds;
        this.parentPid = parentPid;
        for (int i = 0; i < nodeCount; i++) {
            nodes.add(null);
        }
    }

    public static void main(String[] args) {
        DevCluster cluster;
        try {
            cluster = fromArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println("opensearch-dev: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        System.exit(cluster.run());
    }

    static DevCluster fromArgs(String[] args) {
        int nodes = 2, http = 9200, timeout = 120;
        Integer transport = null;
        Long parent = null;
        Path data = Path.of("data");
        String name = "newsfacet-dev";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println(USAGE);
                System.exit(0);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg.startsWith("--") ? arg + " needs a value" : "unknown argument " + arg);
            }
            String value = args[++i];
            switch (arg) {
                case "--nodes" -> nodes = intOption(arg, value, 1, 9);
                case "--http-port" -> http = intOption(arg, value, 1024, 65000);
                case "--transport-port" -> transport = intOption(arg, value, 1024, 65000);
                case "--data" -> data = Path.of(value);
                case "--cluster-name" -> name = value;
                case "--timeout" -> timeout = intOption(arg, value, 1, 3600);
                case "--parent-pid" -> parent = (long) intOption(arg, value, 1, Integer.MAX_VALUE);
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("--cluster-name takes letters, digits, '_', '.', '-'");
        }
        return new DevCluster(nodes, http, transport == null ? http + 100 : transport, data.toAbsolutePath(), name, timeout,
            parent);
    }

    private static int intOption(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(name + " takes a whole number from " + min + " to " + max + ", not " + value);
    }

    String nodeName(int i) {
        return "node-" + i;
    }

    String httpUrl(int i) {
        return "http://127.0.0.1:" + (httpPort + i);
    }

    Path pidFile() {
        return dataDir.resolve("cluster.pid");
    }

    Path stateFile() {
        return dataDir.resolve("cluster.json");
    }

    /** Settings of node i: its own home and data folder, loopback ports, node-0 the cluster manager. */
    Settings nodeSettings(int i) {
        Path home = dataDir.resolve(nodeName(i));
        String seeds = IntStream.range(0, nodeCount)
            .mapToObj(j -> "127.0.0.1:" + (transportPort + j)).collect(Collectors.joining(","));
        return Settings.builder()
            .put("cluster.name", clusterName)
            .put("node.name", nodeName(i))
            .putList("node.roles", i == 0 ? List.of("cluster_manager", "data", "ingest") : List.of("data", "ingest"))
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort + i)
            .put("transport.port", transportPort + i)
            .put("discovery.seed_hosts", seeds)
            .put("cluster.initial_cluster_manager_nodes", nodeName(0))
            // a dev cluster on a nearly full disk should still allocate shards
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .build();
    }

    int run() {
        PrintStream out = System.out;
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            System.err.println("opensearch-dev: cannot create " + dataDir + ": " + e);
            return 1;
        }
        // Logging reads this before its first use; nothing above touches OpenSearch or log4j.
        System.setProperty("opensearch.dev.log", dataDir.resolve("cluster.log").toString());
        // Several nodes in one JVM each set Netty's processor count; the test framework turns this off too.
        System.setProperty("opensearch.set.netty.runtime.available.processors", "false");
        // The netty settings OpenSearch's own jvm.options gives every node.
        System.setProperty("io.netty.noUnsafe", "true");
        System.setProperty("io.netty.noKeySetOptimization", "true");
        System.setProperty("io.netty.recycler.maxCapacityPerThread", "0");
        System.setProperty("io.netty.allocator.numDirectArenas", "0");
        SharedLogStateFilter.install();

        Long running = runningPid();
        if (running != null) {
            System.err.println("opensearch-dev: a cluster is already running on " + dataDir + " (pid " + running
                + " in " + pidFile() + ")");
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "opensearch-dev-shutdown"));
        if (parentPid != null) {
            var parent = ProcessHandle.of(parentPid).filter(ProcessHandle::isAlive);
            if (parent.isEmpty()) {
                System.err.println("opensearch-dev: parent process " + parentPid + " is not running");
                return 1;
            }
            parent.get().onExit().thenRun(() -> {
                System.err.println("opensearch-dev: parent process " + parentPid + " ended; stopping the cluster");
                System.exit(0);
            });
        }
        try {
            writeAtomically(pidFile(), ProcessHandle.current().pid() + "\n");
            for (int i = 0; i < nodeCount; i++) {
                startNode(i);
            }
            ClusterHealthResponse health = waitForNodes();
            if (health == null) {
                return 1;
            }
            control = new ControlServer(this);
            writeAtomically(stateFile(), stateJson());
            out.println("OpenSearch " + Version.CURRENT + " development cluster \"" + clusterName + "\" is "
                + health.getStatus().name().toLowerCase() + " with " + health.getNumberOfNodes() + " nodes:");
            for (int i = 0; i < nodeCount; i++) {
                out.println(httpUrl(i));
            }
            out.println("pid " + ProcessHandle.current().pid() + " in " + pidFile() + "; stop it with SIGTERM");
            out.flush();
        } catch (Exception e) {
            System.err.println("opensearch-dev: the cluster did not start: " + describe(e));
            return 1;
        }
        try {
            new CountDownLatch(1).await(); // until SIGTERM; the shutdown hook closes the nodes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The pid in cluster.pid if that process is still alive (a stale file from a killed JVM is ignored). */
    private Long runningPid() {
        try {
            long pid = Long.parseLong(Files.readString(pidFile()).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> pid).orElse(null);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append("\n  caused by ").append(cause);
        }
        return text.toString();
    }

    private ClusterHealthResponse waitForNodes() {
        ClusterHealthResponse health = nodes.get(0).client().admin().cluster().prepareHealth()
            .setWaitForNodes(Integer.toString(nodeCount))
            .setWaitForYellowStatus()
            .setTimeout(TimeValue.timeValueSeconds(timeoutSeconds))
            .get();
        if (health.isTimedOut()) {
            System.err.println("opensearch-dev: after " + timeoutSeconds + " s the cluster has "
                + health.getNumberOfNodes() + " of " + nodeCount + " nodes, status " + health.getStatus()
                + "; see " + dataDir.resolve("cluster.log"));
            return null;
        }
        return health;
    }

    synchronized boolean isRunning(int i) {
        return nodes.get(i) != null;
    }

    /** Starts node i (again, after a stop: same settings, same data folder). */
    synchronized void startNode(int i) throws Exception {
        if (closing) {
            throw new IllegalStateException("the cluster is shutting down");
        }
        if (nodes.get(i) != null) {
            return;
        }
        Path config = dataDir.resolve(nodeName(i)).resolve("config");
        Files.createDirectories(config);
        DevNode node = new DevNode(nodeSettings(i), config);
        try {
            node.start();
        } catch (Exception e) {
            node.close();
            throw e;
        }
        nodes.set(i, node);
    }

    /** Closes node i and waits for its threads, like a process that exits. */
    synchronized void stopNode(int i) throws IOException, InterruptedException {
        DevNode node = nodes.get(i);
        if (node == null) {
            return;
        }
        nodes.set(i, null);
        node.close();
        if (!node.awaitClose(30, java.util.concurrent.TimeUnit.SECONDS)) {
            System.err.println("opensearch-dev: " + nodeName(i) + " still had work running 30 s after close");
        }
    }

    private void shutdown() {
        synchronized (this) {
            closing = true;
        }
        if (control != null) {
            control.stop();
        }
        for (int i = nodeCount - 1; i >= 0; i--) {
            try {
                stopNode(i);
            } catch (Exception e) {
                System.err.println("opensearch-dev: closing " + nodeName(i) + ": " + e);
            }
        }
        try {
            Files.deleteIfExists(stateFile());
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            System.err.println("opensearch-dev: " + e);
        }
        org.apache.logging.log4j.LogManager.shutdown();
    }

    String stateJson() throws IOException {
        try (XContentBuilder json = XContentFactory.jsonBuilder().prettyPrint()) {
            json.startObject()
                .field("pid", ProcessHandle.current().pid())
                .field("cluster_name", clusterName)
                .field("version", Version.CURRENT.toString())
                .field("data", dataDir.toString())
                .field("control", control == null ? null : control.url());
            json.startArray("nodes");
            for (int i = 0; i < nodeCount; i++) {
                json.startObject()
                    .field("name", nodeName(i))
                    .field("http", httpUrl(i))
                    .field("transport", "127.0.0.1:" + (transportPort + i))
                    .field("cluster_manager", i == 0)
                    .endObject();
            }
            json.endArray().endObject();
            return json.toString() + "\n";
        }
    }

    /** Status of every node, for the control endpoint. */
    synchronized String nodesJson() throws IOException {
        try (XContentBuilder json = XContentFactory.jsonBuilder()) {
            json.startObject().startArray("nodes");
            for (int i = 0; i < nodeCount; i++) {
                json.startObject()
                    .field("name", nodeName(i))
                    .field("http", httpUrl(i))
                    .field("running", nodes.get(i) != null)
                    .endObject();
            }
            json.endArray().endObject();
            return json.toString();
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
