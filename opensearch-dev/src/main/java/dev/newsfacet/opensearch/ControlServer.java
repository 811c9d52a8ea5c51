package dev.newsfacet.opensearch;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Loopback HTTP endpoint that stops and restarts single nodes of the running cluster, so tests can lose a
 * node mid-search and bring it back. Listens on a free port (named in cluster.json):
 *   GET  /nodes               every node, running or not
 *   POST /nodes/node-1/stop   closes that node (its shards fail over to replicas)
 *   POST /nodes/node-1/start  starts it again on the same ports and data folder
 */
final class ControlServer {

    private static final Pattern ACTION = Pattern.compile("/nodes/node-(\\d+)/(stop|start)");

    private final DevCluster cluster;
    private final HttpServer server;

    ControlServer(DevCluster cluster) throws IOException {
        this.cluster = cluster;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/nodes", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/nodes") && method.equals("GET")) {
                reply(exchange, 200, cluster.nodesJson());
                return;
            }
            Matcher action = ACTION.matcher(path);
            if (!action.matches()) {
                reply(exchange, 404, "{\"error\":\"no such endpoint\"}");
                return;
            }
            if (!method.equals("POST")) {
                reply(exchange, 405, "{\"error\":\"use POST\"}");
                return;
            }
            int i = Integer.parseInt(action.group(1));
            if (i >= cluster.nodeCount) {
                reply(exchange, 404, "{\"error\":\"no such node\"}");
                return;
            }
            try {
                if (action.group(2).equals("stop")) {
                    cluster.stopNode(i);
                } else {
                    cluster.startNode(i);
                }
            } catch (Exception e) {
                String message = String.valueOf(e).replace("\\", "\\\\").replace("\"", "\\\"");
                reply(exchange, 500, "{\"error\":\"" + message + "\"}");
                return;
            }
            reply(exchange, 200, cluster.nodesJson());
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
