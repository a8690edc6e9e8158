"""The WSGI application: each worker freezes what its first request loaded out of the garbage collector's sight."""

import gc

import pytest

from party_portal.wsgi import frozen_after_first_request


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_the_first_request_freezes_what_is_alive_and_the_next_ones_do_not(unfrozen):
    answers = []

    def app(environ, start_response):
        answers.append(environ["PATH_INFO"])
        return [b"ok"]

    wrapped = frozen_after_first_request(app)
    assert gc.get_freeze_count() == 0

    assert wrapped({"PATH_INFO": "/a/"}, None) == [b"ok"]
    frozen = gc.get_freeze_count()
    assert frozen > 0
    made_after = [object()]  # a container the collector tracks, alive after the freeze

    assert wrapped({"PATH_INFO": "/b/"}, None) == [b"ok"]
    # No second freeze: `made_after` stays in the collector's sight (gc.get_objects lists the collected
    # generations, not the frozen one). The frozen count itself may drop: a frozen object can still be freed.
    assert any(seen is made_after for seen in gc.get_objects())
    assert gc.get_freeze_count() <= frozen
    assert answers == ["/a/", "/b/"]
