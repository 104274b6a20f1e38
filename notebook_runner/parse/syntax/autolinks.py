"""GFM's bare autolinks (`www.x.org`, `https://…`, `mailto:`, `xmpp:`, `me@x.org`) in
linear time, with exactly the tokens of mdit-py-plugins' `gfm_autolink` rules.

Those rules copy the rest of the paragraph (`src[pos:]`) at every `:`, `@` and `www.`,
search all the text collected since the last token for a protocol name, and count
every parenthesis of a link again for each `)` it ends with: `http:` written 20,000
times (100 KB) took two minutes to parse. These rules are the same algorithm (the GFM
spec's, ported from the `gfm_autolinks` crate) reading the source in place:

- The plugin reads the protocol name and the address's local part from the pending
  text (what the text rule collected since the last token), which is always the source
  right before the position; asking markdown-it for it joins and copies it, so these
  rules read the source and ask for the pending text only once a link is certain (it is
  shorter than the source's run only where a token ended inside it, such as an `_`
  delimiter before an address's local part).
- Nothing is copied before a match is certain, and what is scanned is scanned once:
  where the next white space is, and where a run of characters a domain may hold ends
  (with its dots and underscores), are remembered per paragraph, so a long word with
  many candidates in it is read once.
- A link's parentheses are counted once and then kept in step as it is trimmed.

In silent mode (markdown-it skipping over a link label) the plugin's rules match
nothing by design, so these return at once. The plugin's rules are replaced in place,
keeping their names and order; tests hold the tokens equal to the plugin's.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from notebook_runner.parse.syntax.scans import first_match

_PREVIOUS = frozenset(" \t\r\n*_~(")
"""Characters an autolink may follow (or the start of the text)."""
_PROTOCOLS = ("https", "http", "mailto", "xmpp")
_SPACE = re.compile(r"[ \t\r\n\x00\x0b\x0c]")
_TRAILING = frozenset("?!.,:*_~'\"[]")
_EMAIL_LOCAL = frozenset(".+-_")
_SCANS = "notebook_runner.autolink_scans"
_MANY_DOTS = 10
"""A domain whose last labels hold `_` is accepted only with more dots than this."""


def autolinks_plugin(md: MarkdownIt) -> None:
    """Replace the `gfm_autolink` rules, where present, by these; idempotent."""
    ours = {
        "gfm_autolink_www": _www,
        "gfm_autolink_protocol": _protocol,
        "gfm_autolink_email": _email,
    }
    names = {rule.name for rule in md.inline.ruler.__rules__}
    for name, rule in ours.items():
        if name in names:
            md.inline.ruler.at(name, rule)


# ---------------------------------------------------------------- the three rules


def _www(state: StateInline, silent: bool) -> bool:
    src, pos, end = state.src, state.pos, state.posMax
    if silent or state.linkLevel > 0 or pos + 4 > end or not src.startswith("www.", pos):
        return False
    if not _may_start(src, pos):  # the plugin asks `pending[-1]`: the same character
        return False
    domain_end = _domain_end(state, pos + 4, end, allow_short=False)
    if domain_end is None:
        return False
    link_end = _trimmed_end(src, pos, min(first_match(state, _SPACE, domain_end), end))
    label = src[pos:link_end]
    return _push_link(state, "http://" + label, label, len(label))


def _protocol(state: StateInline, silent: bool) -> bool:
    src, pos, end = state.src, state.pos, state.posMax
    if silent or state.linkLevel > 0 or end - pos < 4 or src[pos] != ":":
        return False
    protocol = next(
        (name for name in _PROTOCOLS if pos >= len(name) and src.startswith(name, pos - len(name))),
        None,
    )
    if protocol is None or not _may_start(src, pos - len(protocol)):
        return False
    start = pos - len(protocol)
    if protocol in ("mailto", "xmpp"):
        link_end = _email_end(src, pos + 1, end, protocol)
    elif src.startswith("//", pos + 1, end):
        domain_end = _domain_end(state, pos + 3, end, allow_short=True)
        link_end = (
            None
            if domain_end is None
            else _trimmed_end(src, start, min(first_match(state, _SPACE, domain_end), end))
        )
    else:
        link_end = None
    if link_end is None or not state.pending.endswith(protocol):
        return False
    state.pending = state.pending[: -len(protocol)]
    url = protocol + src[pos:link_end]
    return _push_link(state, url, url, link_end - pos)


def _email(state: StateInline, silent: bool) -> bool:
    src, pos, end = state.src, state.pos, state.posMax
    if silent or state.linkLevel > 0 or pos + 1 >= end or src[pos] != "@":
        return False
    run = _local_run(src, pos)
    if not run:
        return False
    domain_end, dots = pos + 1, 0
    while domain_end < end:
        char = src[domain_end]
        if char == "@":
            return False
        if char == "." and domain_end + 1 < end and _ascii_alnum(src[domain_end + 1]):
            dots += 1
        elif not _ascii_alnum(char) and char not in "-_":
            break
        domain_end += 1
    last = src[domain_end - 1]
    if domain_end == pos + 1 or not dots or not (_ascii_alnum(last) or last == "."):
        return False
    # The local part is what the pending text ends with: the whole run, or, when an
    # `_` in it was a delimiter token, the part after it (the character before is `_`).
    if not _may_start(src, pos - run) and "_" not in src[pos - run : pos]:
        return False
    local = min(run, len(state.pending))
    if not local or not _may_start(src, pos - local):
        return False
    text = src[pos - local : domain_end]
    state.pending = state.pending[:-local]
    return _push_link(state, "mailto:" + text, text, domain_end - pos)


# ---------------------------------------------------------------- shared steps


def _push_link(state: StateInline, url: str, text: str, advance: int) -> bool:
    full_url = state.md.normalizeLink(url)
    if not state.md.validateLink(full_url):
        return False
    token = state.push("link_open", "a", 1)
    token.attrs = {"href": full_url}
    token.markup, token.info = "autolink", "auto"
    state.push("text", "", 0).content = state.md.normalizeLinkText(text)
    token = state.push("link_close", "a", -1)
    token.markup, token.info = "autolink", "auto"
    state.pos += advance
    return True


def _may_start(src: str, start: int) -> bool:
    return start <= 0 or src[start - 1] in _PREVIOUS


def _ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _local_run(src: str, pos: int) -> int:
    """How many characters before `pos` may be an address's local part."""
    start = pos
    while start > 0 and (_ascii_alnum(src[start - 1]) or src[start - 1] in _EMAIL_LOCAL):
        start -= 1
    return pos - start


@cache
def _in_domain_run(char: str) -> bool:
    """What the GFM domain scan reads on over: `.`, `_`, `-`, or a character that is
    neither white space nor Unicode punctuation."""
    if char in "._-":
        return True
    return not char.isspace() and not unicodedata.category(char).startswith("P")


def _domain_end(state: StateInline, start: int, end: int, *, allow_short: bool) -> int | None:
    """Where a valid domain starting at `start` ends, or None (GFM's `check_domain`).

    The scan stops at the first character outside the domain run; `_` in the last two
    labels makes the domain invalid, unless it reaches the end with over ten dots."""
    if start >= end:
        return None
    run = _Scans.of(state).run_at(state.src, start)
    stop = min(run.stop, end)
    first, last = bisect_left(run.dots, start), bisect_left(run.dots, stop)
    dots = last - first
    label_before = run.dots[last - 2] + 1 if dots > 1 else start
    underscores = run.underscores_in(label_before, stop) > 0
    if stop < end:  # stopped at a character no domain holds
        return stop if not underscores and (allow_short or dots) else None
    if underscores and dots <= _MANY_DOTS:
        return None
    return end if allow_short or dots else None


def _trimmed_end(src: str, start: int, end: int) -> int:
    """GFM's `autolink_delim`: the link stops at a `<`, and trailing punctuation, an
    unbalanced `)` and a trailing entity `&name;` are left out of it."""
    less_than = src.find("<", start, end)
    if less_than >= 0:
        end = less_than
    opening = closing = -1  # counted when first needed
    while end > start:
        last = src[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last == ";":
            name_start = end - 2
            while name_start > start and src[name_start].isalpha():
                name_start -= 1
            end = name_start if name_start < end - 2 and src[name_start] == "&" else end - 1
        elif last == ")":
            if closing < 0:
                opening, closing = src.count("(", start, end), src.count(")", start, end)
            if closing <= opening:
                break
            end -= 1
            closing -= 1
        else:
            break
    return end


def _email_end(src: str, start: int, end: int, protocol: str) -> int | None:
    """The end of `mailto:` / `xmpp:` address text whose local part starts at `start`."""
    position = start
    while position < end and (_ascii_alnum(src[position]) or src[position] in _EMAIL_LOCAL):
        position += 1
    if position == start or position >= end or src[position] != "@":
        return None
    link_end, dots, slashes = position + 1, 0, 0
    while link_end < end:
        char = src[link_end]
        if char == "@" and protocol != "xmpp":
            return None
        if char == "." and link_end < end - 1 and _ascii_alnum(src[link_end + 1]):
            dots += 1
        elif char == "/" and protocol == "xmpp" and not slashes:
            slashes += 1
        elif not (_ascii_alnum(char) or char in "-_@"):
            break
        link_end += 1
    last = src[link_end - 1]
    if not dots or not ((last.isascii() and last.isalpha()) or last == "."):
        return None
    return link_end


@dataclass(frozen=True)
class _Run:
    """A run of characters a domain may hold: `[start, stop)`, with its dots and
    underscores, so a domain starting anywhere inside it is judged without a re-read."""

    start: int
    stop: int
    dots: list[int]
    underscores: list[int]

    def underscores_in(self, start: int, stop: int) -> int:
        return bisect_left(self.underscores, stop) - bisect_left(self.underscores, start)


class _Scans:
    """Where the domain run that follows a position ends, per source text: a paragraph
    with many candidates in one long word has it read once."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.run = _Run(-1, -1, [], [])

    @classmethod
    def of(cls, state: StateInline) -> _Scans:
        scans = state.env.get(_SCANS)
        if not isinstance(scans, _Scans) or scans.src is not state.src:
            scans = state.env[_SCANS] = cls(state.src)
        return scans

    def run_at(self, src: str, position: int) -> _Run:
        """The domain run from `position` to the first character outside it."""
        if self.run.start <= position <= self.run.stop:
            return self.run
        dots, underscores = [], []
        stop = position
        while stop < len(src) and _in_domain_run(src[stop]):
            if src[stop] == ".":
                dots.append(stop)
            elif src[stop] == "_":
                underscores.append(stop)
            stop += 1
        self.run = _Run(position, stop, dots, underscores)
        return self.run
