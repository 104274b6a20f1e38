"""The texts the "changes speed, never tokens" tests compare parsers on: every
CommonMark spec example, our vaults and fixtures, and the shared corpus when present."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "tests" / "fixtures" / "commonmark" / "commonmark.json"
CORPUS = REPO.parent / "shared" / "corpus"


def spec_vault_and_corpus_texts() -> list[str]:
    texts = [example["markdown"] for example in json.loads(SPEC.read_text(encoding="utf-8"))]
    notes = [*(REPO / "vault").rglob("*.md"), *(REPO / "tests" / "fixtures").rglob("*.md")]
    if CORPUS.is_dir():
        notes += CORPUS.rglob("*.md")
    texts += [path.read_text(encoding="utf-8", errors="replace") for path in sorted(notes)]
    assert len(texts) > 680  # the spec's 652 examples, our vaults and fixtures, the corpus
    return texts
