"""The static search index: keys, traditional-character folding, file format and builder.

The engine that reads it is ``theme/assets/search-engine.js`` (the only one: tests
and benchmarks run it under Node, ``scripts/searchnode.py``)."""
