"""Plumbing shared by every app of the harness: database, web security, serving, PDFs, mail outbox."""
