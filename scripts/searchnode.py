"""The search engine as tests and benchmarks run it: ``theme/assets/search-engine.js``
(the browser's own code, the only implementation of the search) in one Node
process (``scripts/search_node.js``) that answers many queries.

:class:`SearchNode` sends one request a line and reads one answer a line;
:func:`first_query_bytes` adds up what a reader's first query downloads, from
the files the engine fetched with a cold cache.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
DRIVER = HERE / "search_node.js"
STAGES = ("exact", "cut", "most")  # what a result holds by stage (search-engine.js nextStage)
KINDS = {"manifest.json": "manifest", "fold": "manifest", "s": "shards", "f": "facets", "g": "facets", "n": "facets",
         "d": "docs"}


def node_binary() -> str | None:
    return shutil.which("node")


class SearchNode:
    """One Node process running the engine; ``with SearchNode() as n: n.search(dir, "小东门")``.
    Engines are kept per index folder (a warm cache, as a reader's later queries),
    unless a request asks for a ``fresh`` one."""

    def __init__(self) -> None:
        node = node_binary()
        if node is None:
            raise RuntimeError("node is needed to run the search engine")
        self.proc = subprocess.Popen([node, str(DRIVER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, encoding="utf-8", bufsize=1)

    def ask(self, **request) -> dict:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"search_node.js ended (exit {self.proc.wait()})")
        out = json.loads(line)
        if "failed" in out:
            raise RuntimeError(out["failed"])
        return out

    def search(self, index_dir: str | Path, query: str, street: str | None = None, programme: str | None = None,
               year: int | str | None = None, **opts) -> dict:
        """``hits``: "all" (default), "page" (the first page) or "none"; ``facets``:
        count them even where the page waits for the panel; ``suggest``; ``fresh``."""
        filters = {k: str(v) for k, v in (("street", street), ("programme", programme), ("year", year)) if v}
        return self.ask(op="search", dir=str(index_dir), q=query, hits=opts.pop("hits", "all"), **filters, **opts)

    def urls(self, index_dir: str | Path, query: str, **filters) -> list[str]:
        return self.search(index_dir, query, **filters)["urls"]

    def call(self, fn: str, *args, module: str = "engine"):
        """A pure function of search-engine.js (or search-query.js, search.js)."""
        return self.ask(op="call", module=module, fn=fn, args=list(args))["value"]

    def fold(self, index_dir: str | Path, text: str) -> tuple[dict[int, int], list[str]]:
        """The engine's fold table once it has loaded the chunks of ``text``, and what it fetched."""
        out = self.ask(op="fold", dir=str(index_dir), text=text, fresh=True)
        return {ord(a): ord(b) for a, b in out["fold"]}, out["fetched"]

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin
            self.proc.stdin.close()
            self.proc.wait(timeout=30)

    def __enter__(self) -> SearchNode:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def gzip_size(data: bytes) -> int:
    """What a server sends: stored gzip as it is, the rest compressed on the fly."""
    return len(data) if data[:2] == b"\x1f\x8b" else len(gzip.compress(data, compresslevel=6, mtime=0))


def kind_of(path: str) -> str:
    return KINDS.get(path, KINDS.get(path.split("/")[0], "other"))


def first_query_bytes(node: SearchNode, index_dir: str | Path, query: str, **filters) -> dict:
    """Bytes (gzip, as a server sends them) a browser downloads to show the first
    page of results of ``query`` from a cold cache, by kind of file (with a
    zero-hit page's suggestions, as the page shows them)."""
    unfiltered = not any(filters.values())
    r = node.search(index_dir, query, hits="page", fresh=True, shown=True, suggest=bool(query) and unfiltered, **filters)
    parts = dict.fromkeys(("manifest", "shards", "facets", "docs"), 0)
    files = dict.fromkeys(parts, 0)
    for path in dict.fromkeys(r["fetched"]):
        k = kind_of(path)
        parts[k] += gzip_size((Path(index_dir) / path).read_bytes())
        files[k] += 1
    return {"query": query, "total": sum(parts.values()), "bytes": parts, "files": files,
            "results": r.get("results", 0), "stage": STAGES[r["stage"]], "ms": r["ms"], "fetched": r["fetched"]}
