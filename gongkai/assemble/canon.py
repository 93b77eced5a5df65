"""Canonical form of printed labels for matching against the template vocabulary: normalised
(traditional → simplified, full-width → half-width), ordinals, remarks in brackets, spaces and
punctuation removed. ``（三）不予公开`` and ``(三) 不予公開`` both become ``不予公开``."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ORDINAL = re.compile(
    r"^(?:第?[一二三四五六七八九十]+[、.．:：]|[（(]?[一二三四五六七八九十\d]+[)）]|\d+[、.．:：)）]"
    r"|[①-⑳]|第[一二三四五六七八九十]+[项条]|[)）、.．:：]+)"
)
_BRACKETED = re.compile(r"[（(\[【][^（()）\]】]*[)）\]】]")
_UNCLOSED = re.compile(r"[（(\[【][^（()）\]】]*$")
_PUNCT = re.compile(r"[\s\u3000、，,。.．:：;；“”\"'‘’·•\-—_|｜/／#*]+")


def simplified(s: str) -> str:
    """``s`` normalised (traditional → simplified, full-width → half-width) for keyword tests."""
    return _normalise(s)


def _normalise(s: str) -> str:
    try:  # the shared normaliser (traditional → simplified, look-alikes); NFKC until it lands
        from gongkai.normalise import normalise
    except ImportError:
        return unicodedata.normalize("NFKC", s)
    return normalise(s).text


@lru_cache(maxsize=4096)
def canon(s: str, keep_remarks: bool = False) -> str:
    """Label text reduced to its wording: no ordinals, bracketed remarks, spaces or punctuation.
    ``keep_remarks`` keeps the words inside brackets (行政诉讼（未经复议直接起诉）)."""
    t = unicodedata.normalize("NFKC", _normalise(s)).strip().lstrip("#").strip()
    prev = None
    while prev != t:  # 三（一）予以公开: strip stacked ordinals
        prev = t
        t = _ORDINAL.sub("", t).strip()
    if keep_remarks:
        t = re.sub(r"[()\[\]【】]", "", t)
    else:  # remarks in brackets, also one left unclosed by a clipped label
        t = _UNCLOSED.sub("", _BRACKETED.sub("", t))
    return _PUNCT.sub("", t)


@lru_cache(maxsize=4096)
def canon_keep_brackets(s: str) -> str:
    """Like ``canon`` but keeps bracketed text (column headers carry units there: （万元））."""
    t = unicodedata.normalize("NFKC", _normalise(s)).strip()
    return _PUNCT.sub("", t)
