"""Helpers every layer may use and that know nothing of kgraph's data: atomic writes, safe text, shared patterns."""
