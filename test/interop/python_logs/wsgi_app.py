"""A WSGI app for gunicorn: / answers 200 with a short body, anything else 404."""


def app(environ, start_response):
    if environ["PATH_INFO"] == "/":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"hello gunicorn\n"]
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"nope\n"]
