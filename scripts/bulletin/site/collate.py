"""Place names in the order residents look them up: by pinyin, as a dictionary
or a phone's contact list sorts Chinese (pypinyin reads 重庆 as chong qing and
长安 as chang an from its phrase tables). The taxonomy's order is the order
editors happened to add names in; pinyin is stable whatever they add."""

from __future__ import annotations

import functools

from pypinyin import Style, lazy_pinyin


@functools.lru_cache(maxsize=4096)
def pinyin_key(name: str) -> tuple:
    """Sort key of ``name``: its syllables without tones, then with tone numbers,
    then the name itself, so two names that read alike still keep one order."""
    return (tuple(lazy_pinyin(name)), tuple(lazy_pinyin(name, style=Style.TONE3)), name)
