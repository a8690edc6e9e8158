"""Which door a change came through (web, admin, api, command, task, import), kept in a context variable."""

import contextlib
from contextlib import contextmanager
from contextvars import ContextVar

WEB, ADMIN, API, COMMAND, TASK, IMPORT, OTHER = "web", "admin", "api", "command", "task", "import", "other"
DOORS = (WEB, ADMIN, API, COMMAND, TASK, IMPORT, OTHER)

_door: ContextVar[str] = ContextVar("door", default=OTHER)


@contextmanager
def door(name):
    """Mark every audit row written inside the block as coming through `name`."""
    token = _door.set(name)
    try:
        yield
    finally:
        _door.reset(token)


def enter_door(name):
    """Set the door until `leave_door` is given the returned token (for code that cannot use `with`)."""
    return _door.set(name)


def leave_door(token):
    if token is None:
        return
    # Set in another context (a pool thread): that context ends with the task anyway.
    with contextlib.suppress(ValueError):
        _door.reset(token)


def set_process_door(name):
    """Set the door for the whole process (manage.py commands, the Celery worker)."""
    _door.set(name)


def current_door():
    return _door.get()


class DoorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        name = ADMIN if path.startswith("/admin/") else API if path.startswith("/api/") else WEB
        with door(name):
            return self.get_response(request)


class VietnameseFirstMiddleware:
    """Vietnamese unless the user chose English with the language switch: the browser's own
    Accept-Language is ignored, so a cadre on an English-language browser still gets the Vietnamese UI."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
