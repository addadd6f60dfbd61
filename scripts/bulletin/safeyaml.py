"""YAML from pull requests read with limits: the checks run on the token stream,
before anything is composed, constructed or turned into text.

PyYAML expands nothing at load time, but an alias-built value (billion laughs)
explodes as soon as it is printed or iterated, and deep nesting overflows the
C composer's stack (a segfault, not an exception). Editors' YAML needs neither:
front matter is a mapping of scalars and lists, the taxonomy three levels deep.
"""

from __future__ import annotations

import frontmatter
import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster
MAX_DEPTH = 100  # front matter needs 2 levels, the taxonomy 4; a C or Python loader copes with 100
_OPEN = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken,
         yaml.FlowSequenceStartToken)
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


_FRONT = frontmatter.YAMLHandler()  # the split frontmatter.loads makes


class YamlLimitError(yaml.YAMLError):
    """YAML refused before loading; ``line`` is 0-based in the text given."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


# Every collection YAML nests starts with one of these characters, aliases need
# * and anchors &: text with fewer of them than the depth limit cannot break a
# limit and is not scanned (80 us a page, 4 s of a 50,000-page check).
_NESTING = "[{-?:"


def _may_be_unsafe(text: str, max_depth: int) -> bool:
    return "*" in text or "&" in text or sum(map(text.count, _NESTING)) > max_depth


def guard(text: str, max_chars: int, max_depth: int = MAX_DEPTH) -> None:
    """Raise YamlLimitError for text over ``max_chars``, anchors or aliases
    (``&a`` / ``*a``, merge keys included) and nesting deeper than ``max_depth``,
    in the order met (so a deep page names the line where it gets too deep).
    Syntax errors are left to the loader, which reports them in its own words."""
    if len(text) <= max_chars and not _may_be_unsafe(text, max_depth):
        return
    depth = 0
    try:
        for token in yaml.scan(text, Loader=LOADER):  # C scanner: linear, no recursion
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                raise YamlLimitError(token.start_mark.line, (
                    "不支持 YAML 锚点和别名（& 和 * 开头的值）；值以 & 或 * 开头时请用引号括起整段"))
            if isinstance(token, _OPEN):
                depth += 1
                if depth > max_depth:
                    raise YamlLimitError(token.start_mark.line, f"YAML 嵌套过深（超过 {max_depth} 层），请检查括号")
            elif isinstance(token, _CLOSE):
                depth -= 1
    except YamlLimitError:
        raise
    except yaml.YAMLError:
        pass  # syntax errors are the loader's to report
    if len(text) > max_chars:
        raise YamlLimitError(0, f"YAML 内容过长（{len(text)} 个字符，上限 {max_chars}）")


def compose(text: str, max_chars: int) -> yaml.Node | None:
    """The node tree of ``text`` after :func:`guard` (nodes keep their line numbers)."""
    guard(text, max_chars)
    return yaml.compose(text, Loader=LOADER)


def front_matter_limit(page: str, max_chars: int) -> tuple[int, str] | None:
    """(1-based page line, message) when a page's front matter is over the
    limits of :func:`guard`, else None; for pages any YAML loader will read."""
    try:
        front, _ = _FRONT.split(page.strip())
    except ValueError:
        return None
    try:
        guard(front, max_chars)
    except YamlLimitError as exc:
        return exc.line + 1, exc.message  # front starts with the newline after ---
    return None
