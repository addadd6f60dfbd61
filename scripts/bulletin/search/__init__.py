"""The static search index: keys, file format, builder and a Python client mirroring theme/assets/search.js."""
