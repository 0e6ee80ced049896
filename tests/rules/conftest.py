"""The rules' tests reuse the Tec3H app fixtures (seeded app, scriptable fake centralisateur)."""
from tests.tec3h.conftest import app, centralisateur, client  # noqa: F401
