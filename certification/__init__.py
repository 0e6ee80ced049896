"""Certification mode: a DMS vendor runs a versioned plan of scenarios against the reference
centralisateur and gets, per scenario, a verdict with its evidence (the recorded exchanges).

``plans`` (the plan as data), ``exchanges`` (reading journal entries), ``checks`` (pure functions of
the entries), ``verdicts`` (statuses, findings, diffs), ``sessions``/``web`` (the centralisateur side),
``report`` (JSON, JUnit, HTML, evidence zip), ``driver`` (driving a DMS for ``certify run``).
"""
