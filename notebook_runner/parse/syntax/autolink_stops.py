"""Stop plain text at `www.`, not at every `w`.

mdit-py-plugins' bare-URL rule for `www.example.com` can only start at a `w`, so the GFM
plugin makes every `w` end a run of plain text. After such a stop markdown-it tries each
of its twenty-odd inline rules at that `w` before giving up and keeping it as text: a
cost paid at every `w` of every note (measured: about 12 % of a bare CommonMark parse of
the synthetic vault), although the rule itself matches nothing that does not begin with
`www.`. Here the text rule's stop pattern keeps every other stop but stops at a `w` only
where `www.` begins, so the `www.` rule still sees every position it could match, and at
every other `w` the result is the same as before (no rule matches a lone `w`, so it was
kept as text), only sooner.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

_WWW_ONLY = r"w(?=ww\.)"


def autolink_stops_plugin(md: MarkdownIt) -> None:
    """Apply after every plugin that adds stop characters: adding one rebuilds the pattern."""
    stops = md.inline.terminator_re.pattern
    if _WWW_ONLY in stops:
        return
    md.inline.terminator_re = re.compile(rf"(?!w)(?:{stops})|{_WWW_ONLY}")
