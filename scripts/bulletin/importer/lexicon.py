"""Word frequencies from jieba's dictionary, used to find where names begin.

Chinese has no spaces, so ``组织峡窝镇`` does not say where the town's name
starts. A boundary is likely where the text before it ends in a common word
and no common word straddles it; jieba's dictionary (350k words with
frequencies and part-of-speech tags) is the well-kept source for that.
"""

from __future__ import annotations

import os
from functools import lru_cache

import jieba

PLACE_TAGS = {"ns", "nr", "nz", "nrt", "nt", "j"}
# Proper nouns and nouns the dictionary lists whole (鼓浪屿 is "n", 解放碑 "nz").
NAME_TAGS = {"ns", "nz", "nt", "n"}


@lru_cache(maxsize=1)
def _words() -> dict[str, tuple[int, str]]:
    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    out: dict[str, tuple[int, str]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3 and 2 <= len(parts[0]) <= 4:
                out[parts[0]] = (int(parts[1]), parts[2])
    return out


def freq(word: str) -> int:
    entry = _words().get(word)
    return entry[0] if entry else 0


def tag(word: str) -> str | None:
    entry = _words().get(word)
    return entry[1] if entry else None


def is_common(word: str, min_freq: int = 20) -> bool:
    return freq(word) >= min_freq


def is_common_non_place(word: str, min_freq: int = 100) -> bool:
    """A frequent ordinary word (verb, noun...) that is not itself a place name."""
    entry = _words().get(word)
    return bool(entry) and entry[0] >= min_freq and entry[1] not in PLACE_TAGS
