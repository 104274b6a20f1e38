"""Takes parsed `Note`s; gives the `Vault`: every link resolved by Obsidian's rules,
backlinks, the tag index (`VaultMap`: the summaries pages need) and broken-link diagnostics.

Obsidian lets people link by bare file name from anywhere in the vault, so a link is
only meaningful once it is matched against every file: this stage fills in
`WikiLink.resolved`, reports links that lead nowhere (with a "did you mean" so the fix
is one edit away) and builds the indexes the site needs (backlinks, tags).

Matching rules:
- names compare case-insensitively (and after Unicode NFC, since macOS stores file
  names decomposed while notes are typed composed), with or without `.md`;
- notes read from notebooks are linked to the same way, with or without `.ipynb` /
  `.py`; a name without a suffix means the Markdown note when there is one (as in
  Obsidian, where `[[x]]` is `x.md`), else the notebook of that name;
- `folder/Note` matches any note whose path ends in that folder and name;
  `./x` and `../x` are relative to the linking note; `/x` is from the vault root;
- among several matches the shortest path (fewest folders) wins; a tie at the same
  depth is ambiguous, reported, and resolved to the first path in sorted order;
- a target of a type Obsidian embeds (`image.png`, `paper.pdf`) is looked up among
  the attachments first and is a missing attachment when absent; anything else is
  looked up among the notes first;
- headings and block ids: see `outline`.

`serve` re-resolves only what an edit can change (`resolve_changed`): while no file is
added, removed or renamed, where a link leads depends on file names alone, so the
edited notes' links are resolved against the unchanged names and only the backlink and
tag entries they enter or leave are updated.

Modules: `stage` (the two entry points), `resolver` (the link loop), `names` (folding,
the file index), `outline` (headings, block ids), `missing` and `hints` (unresolved
targets, "did you mean"), `problems` (diagnostic wording), `indexes` (backlinks, tags).
"""

from notebook_runner.resolve.stage import (
    assembled_vault,
    link_resolver,
    resolve_changed,
    resolve_vault,
    vault_map,
)

__all__ = ["assembled_vault", "link_resolver", "resolve_changed", "resolve_vault", "vault_map"]
