"""The ``spoticar-harness`` command: start the stack, seed demo data, find a browser."""
import sys

# httpx imports its command-line tool (rich, click, pygments: ~50 ms of CPU) whenever they are
# installed, and the test extra installs them; no app of ours runs httpx's CLI. A None entry makes
# httpx take its documented fallback (``httpx.main`` then says to install ``httpx[cli]``).
sys.modules.setdefault("httpx._main", None)
