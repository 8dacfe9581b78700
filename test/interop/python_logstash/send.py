"""Sends Django-style log records through the real python-logstash handlers (TCP and UDP).

Usage: send.py HOST TCP_PORT UDP_PORT MARKER

Each transport sends: an INFO record with `extra` fields, an ERROR record with an exception
traceback, and a record whose message is a structlog JSON line (carrying a trace id).
"""
import json
import logging
import sys

import logstash
import structlog

host, tcp_port, udp_port, marker = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]

structlog.configure(
    processors=[structlog.processors.add_log_level, structlog.processors.JSONRenderer()],
    logger_factory=structlog.ReturnLoggerFactory(),
)


def send(transport: str, handler: logging.Handler) -> None:
    logger = logging.getLogger(f"django.request.{transport}")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    extra = {"marker": marker, "transport": transport, "status_code": 500, "request_path": "/api/orders/42", "user_id": 7}
    logger.info("order %s created", 42, extra={**extra, "kind": "plain"})
    try:
        {}["missing"]
    except KeyError:
        logger.exception("order lookup failed", extra={**extra, "kind": "exception"})
    line = structlog.get_logger().info("payment accepted", amount=12.5, currency="EUR", trace_id="4BF92F3577B34DA6A3CE929D0E0E4736", marker=marker)
    logger.info(line, extra={**extra, "kind": "structlog"})
    handler.flush()
    handler.close()


send("tcp", logstash.TCPLogstashHandler(host, tcp_port, version=1))
send("udp", logstash.LogstashHandler(host, udp_port, version=1))
print(json.dumps({"sent": 6}))
