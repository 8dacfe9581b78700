"""Python's logging module with basicConfig's default format, then the cookbook's asctime format."""
import logging
import sys

logging.basicConfig(stream=sys.stdout)
logging.getLogger("app.db").warning("pool exhausted: %d waiting", 5)
logging.error("payment failed for order %s", "A-42")
logging.getLogger().handlers[0].setFormatter(logging.Formatter("%(asctime)s - %(name)s - %(levelname)s - %(message)s"))
logging.getLogger("worker.jobs").critical("queue %s is gone", "emails")
