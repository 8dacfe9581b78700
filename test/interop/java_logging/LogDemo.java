// Logs through logback (slf4j, no config file: logback's default layout) and log4j 1.2
// (BasicConfigurator: its TTCC layout), with a stack trace, for the grok pattern tests.
public class LogDemo {
  public static void main(String[] args) {
    org.apache.log4j.BasicConfigurator.configure();
    org.apache.log4j.Logger.getLogger("com.example.legacy.Billing").warn("invoice 17 overdue");
    org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger("com.example.orders.OrderService");
    logger.info("order {} created", 42);
    try {
      Integer.parseInt("x");
    } catch (NumberFormatException e) {
      logger.error("bad quantity", e);
    }
  }
}
