"""The garbage collector is off while a report is built, and back on afterwards."""

from __future__ import annotations

import gc

import pytest

from volunteer_hub.reports.provider import collector_paused


def test_nested_pauses_switch_the_collector_back_on_once_the_last_is_done():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer report is still being built
    assert gc.isenabled()


def test_the_collector_is_switched_back_on_after_an_error():
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("the database went away")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
