"""pytest plugin: ``--dist loadgroup`` sends the tests of one ``xdist_group`` to one worker again.

xdist marks a grouped test by suffixing its id with ``@group``, which the controller's scheduler reads.
xdist 3.8 writes that suffix to ``item._nodeid``, which pytest ≥ 9.2 no longer reads (a node's id is
``item._id``): groups were silently ignored, and tests sharing a module fixture (a stack of their own)
each started it again on another worker. This puts the suffix where pytest reads ids from.
"""
from __future__ import annotations

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """On an xdist worker under ``--dist loadgroup``: ``<id>@<group>`` for every ``xdist_group`` test."""
    if not (hasattr(config, "workerinput") and getattr(config.option, "loadgroup", False)):
        return
    for item in items:
        names = sorted({str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                        for mark in item.iter_markers("xdist_group")})
        if not names or item.nodeid.rfind("@") > item.nodeid.rfind("]"):
            continue  # no group, or the suffix is already in the id pytest reports
        suffixed = f"{item.nodeid}@{'_'.join(names)}"
        if hasattr(item, "_id"):
            item._id = type(item._id).parse(suffixed)
        else:  # pytest < 9.2 (xdist has already done it there)
            item._nodeid = suffixed
