"""pytest plugin: the cyclic garbage collector of a suite process, tuned for a heap that is mostly
long-lived.

A suite process holds a stack of in-process apps for the whole session: about a million tracked
objects (modules, mappers, SQLAlchemy's compiled statements, templates, seeded identity maps). Each
full collection walked them all (0.3–0.6 s, fifteen or so per process), and the young collections
ran every 700 allocations while the tests built apps, pages and ORM rows by the thousand. Measured
on ``tests/tec3h tests/pvo2`` (209 tests, one process, same machine, same load): the collector's
CPU 6.7 → 2.3 s, the process's 30.3 → 26.4 s of user CPU, its peak memory unchanged (~490 MB).

- What a session-scoped fixture has built once it is set up (a stack, a browser's driver) lives as
  long as the session: it is left out of the collector's passes (``common.serve.settle_heap``, as
  ``up`` does for its apps); the tests' own objects are collected as before. A full collection
  comes first: garbage still waiting then (an earlier test's app, a module fixture's) would be frozen
  with it, never freed (one pass per session fixture: a handful per process).
- Young collections every ``YOUNG_THRESHOLD`` allocations net of deallocations instead of 700: the
  same objects are collected, in fewer and larger passes.
"""
from __future__ import annotations

import gc

import pytest

from common.serve import settle_heap

YOUNG_THRESHOLD = 7000


def pytest_configure(config):
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """After a session-scoped fixture is set up: everything alive left out of the collector's passes."""
    result = yield
    if fixturedef.scope == "session":
        gc.collect()  # else the garbage waiting now is frozen too, and never freed
        settle_heap()
    return result
