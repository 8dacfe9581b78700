/*
 * EngineControl: runs an in-process OpenSearch / Elasticsearch cluster for sluice's tests and
 * lets test/engine/run stop and start single nodes of it while the JVM keeps running.
 *
 * Why this exists: the codelibs runners (OpenSearchRunner, ElasticsearchClusterRunner) start all
 * nodes of a cluster inside one JVM, so stopping "node 2" cannot be done with a signal. This
 * wrapper starts the runner programmatically and listens on a loopback control port for one-line
 * commands ("stop-node N", "start-node N", "status", "shutdown").
 *
 * It only uses reflection against the runner, so the same class works for both engines (their
 * APIs have the same shape, only the package names differ) and it compiles without the engine
 * on the classpath.
 *
 * Usage: java -cp <engine classpath>:<this class> EngineControl <engine.properties>
 *
 * engine.properties (written by test/engine/run):
 *   runner.class     fully qualified runner class
 *   base.path        directory that holds node_N/{config,data,logs}
 *   nodes            number of nodes
 *   cluster.name     cluster name
 *   control.file     where to write "<port> <token> <pid>" once the control port is open
 *   setting.KEY=V    node setting KEY for every node
 *   node.N.KEY=V     node setting KEY for node N only (1-based)
 */

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

public final class EngineControl {
    private final Properties config;
    private final Class<?> runnerClass;
    private final Object runner;
    private final int nodes;
    private volatile boolean shuttingDown;

    private EngineControl(Properties config) throws Exception {
        this.config = config;
        this.runnerClass = Class.forName(required("runner.class"));
        this.runner = runnerClass.getConstructor().newInstance();
        this.nodes = Integer.parseInt(required("nodes"));
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: EngineControl <engine.properties>");
            System.exit(2);
        }
        Properties config = new Properties();
        try (var in = Files.newBufferedReader(Paths.get(args[0]), StandardCharsets.UTF_8)) {
            config.load(in);
        }
        EngineControl control = new EngineControl(config);
        // SIGTERM from `run stop` lands here: close the nodes so Lucene and the translog are
        // flushed, which keeps the data usable for a SLUICE_ENGINE_KEEP_DATA=1 restart.
        Runtime.getRuntime().addShutdownHook(new Thread(control::closeAll, "engine-shutdown"));
        try {
            control.startCluster();
        } catch (Throwable e) {
            log("failed to start the cluster: " + unwrap(e));
            unwrap(e).printStackTrace();
            System.exit(1);
        }
        control.serveControlPort();
    }

    private String required(String key) {
        String value = config.getProperty(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("missing property " + key);
        }
        return value;
    }

    /** Node settings for node {@code id}: the common "setting." ones, then the "node.N." ones. */
    private Map<String, String> settingsFor(int id) {
        Map<String, String> settings = new LinkedHashMap<>();
        String nodePrefix = "node." + id + ".";
        for (String key : config.stringPropertyNames()) {
            if (key.startsWith("setting.")) {
                settings.put(key.substring("setting.".length()), config.getProperty(key));
            }
        }
        for (String key : config.stringPropertyNames()) {
            if (key.startsWith(nodePrefix)) {
                settings.put(key.substring(nodePrefix.length()), config.getProperty(key));
            }
        }
        return settings;
    }

    private void startCluster() throws Exception {
        // -1 turns off the runner's own port probing: we give every node an explicit http.port
        // and would rather fail than silently run on a port the test suite does not know.
        runnerClass.getMethod("setMaxHttpPort", int.class).invoke(runner, -1);

        // The runner calls Builder.build(nodeId, Settings.Builder) for every node before it
        // fills in its own defaults with putIfAbsent, so what we put here wins.
        Class<?> builderType = Class.forName(runnerClass.getName() + "$Builder");
        Object builder = Proxy.newProxyInstance(EngineControl.class.getClassLoader(), new Class<?>[] {builderType},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        switch (method.getName()) {
                            case "equals": return proxy == args[0];
                            case "hashCode": return System.identityHashCode(proxy);
                            default: return "EngineControl.settings";
                        }
                    }
                    int id = (Integer) args[0];
                    Object settingsBuilder = args[1];
                    Method put = settingsBuilder.getClass().getMethod("put", String.class, String.class);
                    for (Map.Entry<String, String> e : settingsFor(id).entrySet()) {
                        put.invoke(settingsBuilder, e.getKey(), e.getValue());
                    }
                    return null;
                });
        runnerClass.getMethod("onBuild", builderType).invoke(runner, builder);

        String[] args = {
            "-basePath", required("base.path"),
            "-numOfNode", String.valueOf(nodes),
            "-clusterName", required("cluster.name"),
            "-printOnFailure",
        };
        log("starting " + nodes + " node(s) with " + runnerClass.getSimpleName());
        runnerClass.getMethod("build", String[].class).invoke(runner, (Object) args);
        log("all nodes started");
    }

    /** The runner's Node object for 1-based node number {@code n}, or null. */
    private Object node(int n) throws Exception {
        return runnerClass.getMethod("getNode", int.class).invoke(runner, n - 1);
    }

    private boolean isUp(int n) throws Exception {
        Object node = node(n);
        return node != null && !((Boolean) node.getClass().getMethod("isClosed").invoke(node));
    }

    private String stopNode(int n) throws Exception {
        Object node = node(n);
        if (node == null) return "error no node " + n;
        if (!isUp(n)) return "ok node " + n + " already stopped";
        node.getClass().getMethod("close").invoke(node);
        boolean closed = (Boolean) node.getClass().getMethod("awaitClose", long.class, TimeUnit.class)
                .invoke(node, 60L, TimeUnit.SECONDS);
        return closed ? "ok node " + n + " stopped" : "error node " + n + " did not close within 60s";
    }

    private String startNode(int n) throws Exception {
        if (node(n) == null) return "error no node " + n;
        if (isUp(n)) return "ok node " + n + " already running";
        // startNode builds a new Node with the environment (ports, paths) the node had before.
        boolean started = (Boolean) runnerClass.getMethod("startNode", int.class).invoke(runner, n - 1);
        return started ? "ok node " + n + " started" : "error node " + n + " did not start (see engine log)";
    }

    private String status() throws Exception {
        List<String> parts = new ArrayList<>();
        for (int n = 1; n <= nodes; n++) {
            parts.add(n + "=" + (isUp(n) ? "up" : "down"));
        }
        return "ok " + String.join(" ", parts);
    }

    private synchronized void closeAll() {
        if (shuttingDown) return;
        shuttingDown = true;
        try {
            runnerClass.getMethod("close").invoke(runner);
        } catch (Throwable e) {
            log("close failed: " + unwrap(e));
        }
    }

    private String handle(String line) {
        String[] words = line.trim().split("\\s+");
        try {
            switch (words[0]) {
                case "stop-node": return stopNode(Integer.parseInt(words[1]));
                case "start-node": return startNode(Integer.parseInt(words[1]));
                case "status": return status();
                case "shutdown": return "ok shutting down";
                default: return "error unknown command: " + line;
            }
        } catch (Throwable e) {
            return "error " + unwrap(e);
        }
    }

    /**
     * One command per connection: "<token> <command...>\n" answered by one line that starts
     * with "ok" or "error". The token (random, written to a 0600 file in the state dir) keeps
     * other local processes from stopping nodes by accident.
     */
    private void serveControlPort() throws Exception {
        byte[] raw = new byte[16];
        new SecureRandom().nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Path file = Paths.get(required("control.file"));
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, server.getLocalPort() + " " + token + " " + ProcessHandle.current().pid() + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log("control port " + server.getLocalPort());
            while (true) {
                try (Socket socket = server.accept()) {
                    socket.setSoTimeout(10_000);
                    var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                    var out = new PrintWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8), true);
                    String line = in.readLine();
                    if (line == null) continue;
                    String[] parts = line.trim().split("\\s+", 2);
                    if (parts.length < 2 || !parts[0].equals(token)) {
                        out.println("error bad token");
                        continue;
                    }
                    log("control: " + parts[1]);
                    String reply = handle(parts[1]);
                    log("control: " + reply);
                    out.println(reply);
                    if (parts[1].trim().equals("shutdown")) {
                        closeAll();
                        System.exit(0);
                    }
                } catch (IOException e) {
                    log("control connection failed: " + e);
                }
            }
        }
    }

    private static Throwable unwrap(Throwable e) {
        while (e instanceof InvocationTargetException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static void log(String message) {
        System.out.println("[EngineControl] " + message);
        System.out.flush();
    }
}
