"""Logs exceptions with logger.exception() from a Django-like view, as an app does, through the
standard library only: SysLogHandler over UDP or TCP (socktype=SOCK_STREAM), or a plain TCP
stream (a StreamHandler on a socket: each record's text, traceback lines included, then LF).

Usage: send_exception.py HOST PORT syslog-udp|syslog-tcp|tcp-lines MARKER

Prints {"pid": ..., "traces": [text, ...]} on stdout: the traceback of each record as
traceback.format_exc() wrote it, in the order logged.
"""
import json
import logging
import logging.handlers
import os
import socket
import sys
import traceback

host, port, mode, marker = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]


def price_per_item(total, quantity):
    return total / quantity


def checkout(order):
    return price_per_item(order["total"], order["quantity"])


def load(order_id):
    try:
        return {"42": {"total": 10}}[order_id]
    except KeyError as err:
        raise LookupError(f"order {order_id} not found") from err


if mode == "tcp-lines":
    stream = socket.create_connection((host, port)).makefile("w", encoding="utf-8")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
else:
    socktype = socket.SOCK_DGRAM if mode == "syslog-udp" else socket.SOCK_STREAM
    handler = logging.handlers.SysLogHandler(address=(host, port), facility=logging.handlers.SysLogHandler.LOG_LOCAL3, socktype=socktype)
    handler.setFormatter(logging.Formatter("%(name)s[%(process)d]: %(message)s"))

logger = logging.getLogger("orders.views")
logger.propagate = False
logger.setLevel(logging.INFO)
logger.addHandler(handler)
logger.info("%s checkout started", marker)
traces = []
for order in ({"total": 10, "quantity": 0}, {"total": 10, "quantity": 0}):
    try:
        checkout(order)
    except ZeroDivisionError:
        traces.append(traceback.format_exc())
        logger.exception("%s checkout failed for %s", marker, order)
try:
    load("97")
except LookupError:
    traces.append(traceback.format_exc())
    logger.exception("%s order lookup failed", marker)
logger.info("%s checkout done", marker)
handler.close()
if mode == "tcp-lines":
    stream.close()
print(json.dumps({"pid": os.getpid(), "traces": traces}))
