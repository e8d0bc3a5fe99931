"""Readers, writers and filesystem resolution."""
