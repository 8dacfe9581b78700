// Starts OpenSearch or Elasticsearch nodes in this JVM through codelibs' runner, and takes
// commands on a loopback control port so that tests can stop and start single nodes of a
// cluster ("stop-node N", "start-node N", "shutdown"). Reflection keeps one source for both
// engines, whose runner classes live in different packages.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

public final class EngineMain {
  public static void main(String[] args) throws Exception {
    String engine = args[0];
    String basePath = args[1];
    int nodes = Integer.parseInt(args[2]);
    int httpPort = Integer.parseInt(args[3]);
    Path controlFile = Path.of(args[4]);
    String clusterName = args[5];

    boolean opensearch = engine.equals("opensearch");
    String runnerName = opensearch ? "org.codelibs.opensearch.runner.OpenSearchRunner" : "org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner";
    Class<?> runnerClass = Class.forName(runnerName);
    Class<?> builderInterface = Class.forName(runnerName + "$Builder");
    Object runner = runnerClass.getConstructor().newInstance();

    Object settingsCallback = Proxy.newProxyInstance(builderInterface.getClassLoader(), new Class<?>[] {builderInterface}, (proxy, method, margs) -> {
      if (!method.getName().equals("build")) return null;
      int number = (Integer) margs[0];
      Object settings = margs[1];
      Method put = settings.getClass().getMethod("put", String.class, String.class);
      // The runner would move a node to the next port when its own is taken, and the URL the
      // tests were given would then reach whatever holds that port; a fixed port fails loudly.
      put.invoke(settings, "http.port", String.valueOf(httpPort + number - 1));
      // Tests run on shared disks: never let a watermark turn indices read-only.
      put.invoke(settings, "cluster.routing.allocation.disk.threshold_enabled", "false");
      put.invoke(settings, "http.host", "127.0.0.1");
      put.invoke(settings, "transport.host", "127.0.0.1");
      put.invoke(settings, "network.host", "127.0.0.1");
      put.invoke(settings, "action.auto_create_index", "true");
      return null;
    });
    runnerClass.getMethod("onBuild", builderInterface).invoke(runner, settingsCallback);
    // The runner refuses HTTP ports above 9299 unless told otherwise; tests use ports the OS picked.
    runnerClass.getMethod("setMaxHttpPort", int.class).invoke(runner, 65535);
    String[] buildArgs = {"-basePath", basePath, "-numOfNode", String.valueOf(nodes), "-baseHttpPort", String.valueOf(httpPort - 1), "-clusterName", clusterName, "-printOnFailure"};
    try {
      runnerClass.getMethod("build", String[].class).invoke(runner, (Object) buildArgs);
    } catch (Exception e) {
      // A node that failed to start (a taken port) leaves threads behind: exit, so run sees it.
      (e.getCause() != null ? e.getCause() : e).printStackTrace();
      System.exit(1);
    }

    Method getNode = runnerClass.getMethod("getNode", int.class);
    Method startNode = runnerClass.getMethod("startNode", int.class);
    try (ServerSocket control = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      Files.writeString(controlFile, String.valueOf(control.getLocalPort()));
      for (;;) {
        try (Socket client = control.accept();
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8)) {
          String line = in.readLine();
          if (line == null) continue;
          String[] words = line.trim().split("\\s+");
          try {
            switch (words[0]) {
              case "stop-node" -> {
                // Users count nodes from 1 (Node 1 ...); the runner indexes them from 0.
                Object node = getNode.invoke(runner, Integer.parseInt(words[1]) - 1);
                node.getClass().getMethod("close").invoke(node);
                out.println("ok");
              }
              case "start-node" -> out.println(((Boolean) startNode.invoke(runner, Integer.parseInt(words[1]) - 1)) ? "ok" : "error: node did not start");
              case "shutdown" -> {
                out.println("ok");
                out.flush();
                runnerClass.getMethod("close").invoke(runner);
                System.exit(0);
              }
              default -> out.println("error: unknown command " + words[0]);
            }
          } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            out.println("error: " + cause);
          }
        }
      }
    }
  }
}
