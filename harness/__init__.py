"""The ``spoticar-harness`` command: start the stack, seed demo data, find a browser."""
