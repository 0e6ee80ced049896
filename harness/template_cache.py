"""The apps' templates compiled once per user and kept: Jinja's bytecode cache in the per-user cache
beside the seeded images (``fixtures.prepared``), so a page's first display after a start loads the
template's code instead of parsing and compiling it again (~10–15 ms of CPU for Accueil).

Never stale: Jinja checks each entry against its template's source, and the folder is named after
what else the code depends on — the environment's options, Python's and Jinja's versions, and our
own code (``fixtures.prepared.code_fingerprint``: a filter applied to a constant is folded into the
compiled code). Never unsafe: the folder is this user's alone (it holds code the apps run), else the
cache is not used. Never in the way: the folder is looked up at the first template, not at start,
and a template whose code cannot be kept is served all the same.
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import jinja2
from jinja2 import FileSystemBytecodeCache

from fixtures import prepared


class KeptTemplates(FileSystemBytecodeCache):
    """A ``FileSystemBytecodeCache`` whose folder is found at its first use."""

    def __init__(self, options: str):  # the parent's folder is found later: no super() call
        self.pattern = "__jinja2_%s.cache"
        self._options = options
        self._folder: str | None = None

    @property
    def directory(self) -> str:
        """The folder of this environment's compiled templates; "" when there is no usable one."""
        if self._folder is None:
            self._folder = _folder(self._options)
        return self._folder

    def load_bytecode(self, bucket) -> None:
        if self.directory:
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket) -> None:
        if not self.directory:
            return
        try:
            super().dump_bytecode(bucket)
        except OSError:  # a full disk, the folder removed meanwhile: the page is served all the same
            pass


def template_cache(environment: jinja2.Environment) -> KeptTemplates:
    """The bytecode cache to give ``environment`` (``environment.bytecode_cache = …``)."""
    options = [environment.block_start_string, environment.variable_start_string,
               environment.comment_start_string, environment.line_statement_prefix,
               environment.trim_blocks, environment.lstrip_blocks, environment.newline_sequence,
               environment.keep_trailing_newline, environment.optimized, sorted(environment.extensions),
               repr(environment.autoescape), repr(environment.finalize), sys.version, jinja2.__version__]
    return KeptTemplates(repr(options))


def _folder(options: str) -> str:
    root = prepared.images_dir() / prepared.TEMPLATES
    digest = hashlib.sha256(f"{options}\0{prepared.code_fingerprint()}".encode()).hexdigest()[:24]
    folder = root / digest
    try:
        if not folder.is_dir():
            folder.mkdir(parents=True, mode=0o700)
            prepared.forget_old(root)  # the code changed: the compiled templates of old versions go
        found = folder.stat()
    except FileExistsError:  # made by another start meanwhile
        found = folder.stat()
    except OSError:  # no writable cache: templates are compiled at their first use, as without one
        return ""
    if found.st_uid != os.getuid() or found.st_mode & 0o077:
        return ""  # not ours alone: compiling again is safer than running code others could write
    return str(Path(folder))
