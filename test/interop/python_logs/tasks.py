"""A Celery app on the filesystem transport (no broker to run): one task, for the worker's log lines."""
import os

from celery import Celery

folder = os.environ["GROK_CELERY_DIR"]
app = Celery("tasks", broker="filesystem://", backend="cache+memory://")
app.conf.broker_transport_options = {"data_folder_in": folder, "data_folder_out": folder, "processed_folder": folder}
app.conf.worker_hijack_root_logger = True


@app.task
def add(x, y):
    return x + y


if __name__ == "__main__":
    add.delay(2, 3)
