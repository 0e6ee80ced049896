"""Simulators of the systems around the centralisateur: Icare and the DMS, each its own Flask app."""
