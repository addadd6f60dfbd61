"""The archive site: a plain index of every article, the pages rendered from it, and the MkDocs plugin gluing both in."""
