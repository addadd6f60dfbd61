"""Editors' tools: validation (check), taxonomy re-tagging (retag) and safe page writes (store)."""
