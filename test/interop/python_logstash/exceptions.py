"""Raises exceptions in Django-like views and logs them as Django does, with logger.exception(),
through the real python-logstash TCP handler.

Usage: exceptions.py HOST TCP_PORT MARKER

Prints a JSON summary: the exception type of every request that failed, and the number of
distinct bugs (one bug: one exception type raised from one code path).
"""
import json
import logging
import sys

import logstash

host, tcp_port, marker = sys.argv[1], int(sys.argv[2]), sys.argv[3]


class UserNotFound(Exception):
    pass


class ConfigError(Exception):
    pass


USERS = {1: {"email": "ann@example.com"}}
ORDERS = {42: None, 97: None}


def find_user(user_id):
    if user_id not in USERS:
        raise UserNotFound(f"user {user_id} not found")
    return USERS[user_id]


def find_user_by_email(email):
    for user in USERS.values():
        if user["email"] == email:
            return user
    raise UserNotFound(f"user {email} not found")


def customer_email(order):
    return order["customer"]["email"]


def order_detail(request, order_id):
    return customer_email(ORDERS.get(order_id))


def user_profile(request, user_id):
    return find_user(int(user_id))


def user_lookup(request, email):
    return find_user_by_email(email)


def settings_view(request, name):
    try:
        return {}[name]
    except KeyError as exc:
        raise ConfigError(f"missing setting {name}") from exc


def average_view(request, total):
    return total / len(request["items"])


ROUTES = [
    ("/orders/42/", order_detail, 42),
    ("/orders/97/", order_detail, 97),  # same bug, other parameters
    ("/users/7/", user_profile, "7"),
    ("/users/8/", user_profile, "8"),  # same bug
    ("/users/x/", user_profile, "x"),  # ValueError from int(): another bug
    ("/users/by-email/bob@example.com/", user_lookup, "bob@example.com"),  # same type, other code path
    ("/settings/db.port/", settings_view, "db.port"),
    ("/stats/average/", average_view, 10),
    ("/orders/1/", lambda request, _: {"ok": True}, None),  # succeeds: nothing logged
]

logger = logging.getLogger("django.request")
logger.propagate = False
logger.setLevel(logging.INFO)
handler = logstash.TCPLogstashHandler(host, tcp_port, version=1)
logger.addHandler(handler)

raised = []
bugs = set()
for path, view, arg in ROUTES:
    request = {"path": path, "items": []}
    try:
        view(request, arg)
    except Exception as exc:  # what Django's handler does for an uncaught view exception
        raised.append(type(exc).__name__)
        bugs.add((type(exc).__name__, view.__name__))
        logger.exception("Internal Server Error: %s", path, extra={"marker": marker, "status_code": 500, "request_path": path})

handler.flush()
handler.close()
print(json.dumps({"raised": raised, "bugs": len(bugs)}))
