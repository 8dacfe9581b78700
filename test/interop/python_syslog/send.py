"""Sends log records through Python's own logging.handlers.SysLogHandler (stdlib only), as a
Django app configured for syslog does, in the three shapes users configure.

Usage: send.py HOST PORT udp|tcp MARKER

Prints {"pid": ..., "sent": N} on stdout. Each record's message carries MARKER and its shape.
"""
import json
import logging
import logging.handlers
import os
import socket
import sys

host, port, transport, marker = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
socktype = socket.SOCK_DGRAM if transport == "udp" else socket.SOCK_STREAM

# name[pid]: message  (the format Django's docs and most projects give a syslog handler)
# ident: message      (SysLogHandler.ident, no pid)
# message             (the default formatter: no tag at all)
shapes = [
    ("tagged", logging.Formatter("%(name)s[%(process)d]: %(message)s"), ""),
    ("ident", logging.Formatter("%(message)s"), "orders: "),
    ("plain", None, ""),
]

sent = 0
for shape, formatter, ident in shapes:
    handler = logging.handlers.SysLogHandler(address=(host, port), facility=logging.handlers.SysLogHandler.LOG_LOCAL3, socktype=socktype)
    handler.ident = ident
    if formatter is not None:
        handler.setFormatter(formatter)
    logger = logging.getLogger(f"django.request.{transport}.{shape}")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    logger.error("%s %s %s internal error on /api/orders/42", marker, transport, shape)
    logger.warning("%s %s %s slow request: 2.5 s", marker, transport, shape)
    logger.info("%s %s %s order 42 créé", marker, transport, shape)
    sent += 3
    logger.removeHandler(handler)
    handler.close()

print(json.dumps({"pid": os.getpid(), "sent": sent}))
