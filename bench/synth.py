"""Seeded generator of synthetic Obsidian vaults for the benchmarks and load tests.

Real vaults cannot be shipped or scaled, so this writes look-alikes: the mix of syntax is
modelled on the seed note (`vault/Lesson 3.md`) and the public vaults in
`/work/shared/corpus` (video notes written with the Timestamp Notes plugin, lecture notes
with Python code, Korean and emoji file names, pasted-image embeds, nested folders).

Every note draws from its own string-seeded `random.Random` (string seeds are hashed with
SHA-512, not with the per-process `hash()`), so the same seed gives the same bytes in every
run and on every machine. Nothing iterates over a set, for the same reason. A small share
of the content is deliberately wrong the way real notes are (unresolved links, a missing
image, a timestamp the plugin mis-wrote), so that the benchmarks pay for diagnostics too.

Usage: `python -m bench.synth OUT --notes 10000 --seed 1 [--torch]`.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# A 1x1 transparent PNG: embeds need a real file to resolve against.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
ATTACHMENT_FOLDER = "attachments"
NOTES_PER_IMAGE = 10

FOLDERS = (
    "",
    "Courses/Fast.ai",
    "Courses/CP312 Algorithms",
    "YT",
    "YT/Neo4j",
    "Media/Youtube",
    "개인공부",
    "Daily/2024",
    "Archive/🗂️ Old",
)
TOPICS = (
    "Gradient Descent",
    "Backpropagation",
    "Cross Entropy",
    "Word Embeddings",
    "Attention",
    "Transformers",
    "Convolutions",
    "Random Forests",
    "Tabular Models",
    "Knowledge Graphs",
    "Cypher Queries",
    "Dynamic Programming",
    "Greedy Algorithms",
    "Rotary Embeddings",
    "KV Cache",
    "Data Loaders",
    "Fine-tuning",
    "Softmax",
    "Regularisation",
    "Collaborative Filtering",
)
KOREAN_TOPICS = ("강화학습 정보", "로봇 관제", "옵시디언 공부", "대학원 정보", "기출 문제")
TITLE_FORMS = (
    "Lesson {n} - {topic}",
    "{topic} {n}",
    "{topic}, Clearly Explained!!! ({n})",
    "Neural Networks Part {n} {topic}",
    "{korean} {n}",
    "🏆 {topic} {n}",
)
VOCABULARY = (
    "the model learns a function from data and we measure the loss then tweak the "
    "parameters so that the loss becomes lower using the gradient of every weight in "
    "each layer while the learning rate controls how far each step goes and the "
    "validation set tells us whether the network generalises or simply memorises the "
    "training examples which is why we look at metrics after every epoch"
)
WORDS = tuple(VOCABULARY.split())
KOREAN_WORDS = ("현재", "텍스트", "창을", "누르고", "실행이", "시간", "가져오기", "모델", "학습")
TAGS = ("ML", "Code", "Fast-ai", "statistics", "neo4j", "llm/rag", "llm/agents", "todo")
CALLOUT_TYPES = ("note", "tip", "important", "warning", "example", "question", "info", "bug")
HEADINGS = (
    "Overview",
    "Key ideas",
    "Dataset and objective",
    "Training loop",
    "How do we fit a function to data",
    "Results",
    "Questions",
    "Further reading",
    "Bias",
    "Implementation",
)
LANGS = ("bash", "cypher", "js", "text")
INLINE_MATH = ("x^2", "w_i", r"\frac{a}{b}", r"\sigma(z)")


@dataclass(frozen=True)
class NotePlan:
    """What other notes may rely on before any body is written (links need targets)."""

    path: str
    title: str
    headings: tuple[str, ...]
    block_id: str | None


@dataclass(frozen=True)
class SynthVault:
    """Generated files: notes as text and attachments as vault-relative paths."""

    notes: tuple[tuple[str, str], ...]
    attachments: tuple[str, ...]


def generate_vault(root: Path, notes: int, seed: int, *, torch: bool = False) -> None:
    """Write a vault of `notes` notes under `root` (created if needed; files overwritten)."""
    vault = build_vault(notes, seed, torch=torch)
    for path, text in vault.notes:
        _write(root / path, text.encode("utf-8"))
    for path in vault.attachments:
        _write(root / path, TINY_PNG)
    settings = json.dumps({"attachmentFolderPath": ATTACHMENT_FOLDER}, indent=2) + "\n"
    _write(root / ".obsidian" / "app.json", settings.encode("utf-8"))


def build_vault(notes: int, seed: int, *, torch: bool = False) -> SynthVault:
    """The vault in memory, so benchmarks can time parsing without the disk."""
    plans = [_plan(seed, index) for index in range(notes)]
    images = tuple(_image_path(seed, i) for i in range(max(1, notes // NOTES_PER_IMAGE)))
    texts = tuple(
        (plan.path, NoteWriter(seed, index, plans, images, torch).write())
        for index, plan in enumerate(plans)
    )
    return SynthVault(texts, images)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _image_path(seed: int, index: int) -> str:
    stamp = 20230101000000 + (seed % 97) * 1000000 + index * 37
    return f"{ATTACHMENT_FOLDER}/Pasted image {stamp}.png"


def _plan(seed: int, index: int) -> NotePlan:
    rng = random.Random(f"{seed}:plan:{index}")
    form = rng.choice(TITLE_FORMS)
    title = form.format(n=index, topic=rng.choice(TOPICS), korean=rng.choice(KOREAN_TOPICS))
    folder = rng.choice(FOLDERS)
    path = f"{folder}/{title}.md" if folder else f"{title}.md"
    headings = tuple(rng.sample(HEADINGS, rng.randint(2, 6)))
    block_id = f"b{index:x}" if rng.random() < 0.3 else None
    return NotePlan(path, title, headings, block_id)


class NoteWriter:
    """Writes one note body; holds the per-note random stream and running video time."""

    def __init__(
        self,
        seed: int,
        index: int,
        plans: Sequence[NotePlan],
        images: Sequence[str],
        torch: bool,
    ) -> None:
        self.rng = random.Random(f"{seed}:note:{index}")
        self.plan = plans[index]
        self.plans = plans
        self.images = images
        self.torch = torch
        self.korean = "개인공부" in self.plan.path
        self.video = _youtube_url(self.rng) if self.rng.random() < 0.6 else None
        self.seconds = 0
        self.block_id_pending = self.plan.block_id is not None
        self.lines: list[str] = []

    def write(self) -> str:
        self._frontmatter()
        self._opening()
        for level, heading in self._section_headings():
            self._section(level, heading)
        if self.block_id_pending:  # other notes link to it, so it must exist
            self._paragraph()
        self._footnotes()
        return "\n".join(self.lines) + "\n"

    # -- note-level parts -------------------------------------------------------------

    def _frontmatter(self) -> None:
        style = self.rng.random()
        if style < 0.45:
            self.lines += ["---", "tags:", *[f"  - {tag}" for tag in self._tags()]]
            lesson = self.rng.randint(1, 9)
            self.lines.append(f"Web page: https://course.example.org/lessons/{lesson}")
            if self.video:
                self.lines.append(f"Video: {self.video}")
            self.lines.append("---")
        elif style < 0.75:
            self._video_frontmatter()
        elif style < 0.85:
            tags = ", ".join(f"#{tag}" for tag in self._tags())
            self.lines += ["---", f'tags: "{tags}"', "aliases: [no, Off topic]", "---"]

    def _video_frontmatter(self) -> None:
        rng = self.rng
        self.lines += ["---", f"url: {self.video or _youtube_url(rng)}", "aliases:"]
        self.lines += [f"  - {self.plan.title}", f"channel: Channel {rng.randint(1, 40)}"]
        self.lines.append(f"published: 2023-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}")
        self.lines += ["keywords:", "  - Machine Learning", f"  - {rng.choice(TOPICS)}"]
        self.lines += [f"duration: {rng.randint(1, 59)}m {rng.randint(0, 59)}s"]
        self.lines += ["notes_taken: true", f"watched_completely: {rng.choice(['true', 'no'])}"]
        self.lines.append("---")

    def _tags(self) -> list[str]:
        return self.rng.sample(TAGS, self.rng.randint(1, 3))

    def _opening(self) -> None:
        if self.rng.random() < 0.5:
            self.lines += [f"# {self.plan.title}", ""]
        if self.video is None:
            return
        self.lines.append("## Video Notes")
        self._timestamp_url()

    def _timestamp_url(self) -> None:
        assert self.video is not None
        roll = self.rng.random()
        if roll < 0.75:
            self.lines += ["```timestamp-url ", f" {self.video}", " ```"]
        elif roll < 0.9:
            self.lines += ["```timestamp-url", self.video, "```"]
        else:
            title = f"{self.plan.title} [part {self.rng.randint(1, 3)}] - YouTube"
            self.lines += ["```timestamp-url ", f" [{title}]({self.video})", " ```"]
        self.lines.append("")

    def _section_headings(self) -> list[tuple[int, str]]:
        levels = [self.rng.choice((2, 3, 3, 4)) for _ in self.plan.headings]
        return list(zip(levels, self.plan.headings, strict=True))

    def _section(self, level: int, heading: str) -> None:
        timestamp_first = self.video is not None and self.rng.random() < 0.7
        if timestamp_first:
            self._timestamp()
        self.lines.append(f"{'#' * level} {heading}")
        if self.video is not None and not timestamp_first and self.rng.random() < 0.3:
            self._timestamp()
        for _ in range(self.rng.randint(1, 3)):
            self._block()

    def _footnotes(self) -> None:
        if any("[^1]" in line for line in self.lines):
            self.lines += ["", "[^1]: See the lecture slides for the derivation."]

    # -- blocks -----------------------------------------------------------------------

    def _block(self) -> None:
        kinds = (
            (0.40, self._paragraph),
            (0.52, self._tab_list),
            (0.66, self._code),
            (0.76, self._callout),
            (0.81, self._math_block),
            (0.86, self._embed),
            (0.90, self._table),
            (0.93, self._comment),
            (0.96, self._task_list),
            (1.00, self._paragraph),
        )
        roll = self.rng.random()
        next(write for limit, write in kinds if roll < limit)()

    def _paragraph(self) -> None:
        sentences = [self._sentence() for _ in range(self.rng.randint(2, 5))]
        text = " ".join(sentences)
        if self.block_id_pending:
            text += f" ^{self.plan.block_id}"
            self.block_id_pending = False
        self.lines += [text, ""]

    def _sentence(self) -> str:
        pool = KOREAN_WORDS if self.korean and self.rng.random() < 0.5 else WORDS
        words = [self.rng.choice(pool) for _ in range(self.rng.randint(8, 20))]
        for _ in range(self.rng.randint(0, 3)):
            words.insert(self.rng.randrange(len(words) + 1), self._inline())
        sentence = " ".join(words)
        return sentence[0].upper() + sentence[1:] + "."

    def _inline(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.35:
            return self._wikilink()
        if roll < 0.50:
            return f"=={rng.choice(WORDS)} {rng.choice(WORDS)}=="
        if roll < 0.62:
            return f"#{rng.choice(TAGS)}"
        if roll < 0.72:
            return f"`{rng.choice(('export', 'Learner', 'df.describe()', 'x[[0]]'))}`"
        if roll < 0.80:
            return f"${rng.choice(INLINE_MATH)}$"
        if roll < 0.90:
            return f"[{rng.choice(WORDS)}](https://arxiv.org/abs/19{rng.randint(10, 99)}.10002)"
        if roll < 0.95:
            return "**important**"
        return "[^1]"

    def _wikilink(self) -> str:
        rng = self.rng
        target = rng.choice(self.plans)
        roll = rng.random()
        if roll < 0.06:
            return f"[[Missing {rng.choice(TOPICS)}]]"
        if roll < 0.10:
            return f"[[#{rng.choice(self.plan.headings)}]]"
        if roll < 0.25:
            return f"[[{target.title}|{rng.choice(WORDS)}]]"
        if roll < 0.40:
            return f"[[{target.title}#{rng.choice(target.headings)}]]"
        if roll < 0.45 and target.block_id:
            return f"[[{target.title}#^{target.block_id}]]"
        if roll < 0.50:
            return f"[[{target.path.removesuffix('.md')}]]"
        return f"[[{target.title}]]"

    def _tab_list(self) -> None:
        for _ in range(self.rng.randint(1, 4)):
            self.lines.append(f"- {self._sentence()}")
            for _ in range(self.rng.randint(0, 3)):
                self.lines.append(f"\t- {self._sentence()}")
        if self.rng.random() < 0.2:
            self.lines.append("\t- ")
        self.lines.append("")

    def _task_list(self) -> None:
        for _ in range(self.rng.randint(2, 4)):
            box = self.rng.choice((" ", "x"))
            self.lines.append(f"- [{box}] {self._sentence()}")
        self.lines.append("")

    def _code(self) -> None:
        if self.rng.random() < 0.15:
            self.lines += [f"```{self.rng.choice(LANGS)}", "MATCH (n) RETURN n LIMIT 25", "```"]
        else:
            self.lines += [f"```{self._python_info()}", *self._python_body(), "```"]
        self.lines.append("")

    def _python_info(self) -> str:
        roll = self.rng.random()
        if roll < 0.08:
            return "python skip"
        if roll < 0.12:
            return "python timeout=30"
        return "python"

    def _python_body(self) -> list[str]:
        rng = self.rng
        a, b = rng.randint(1, 9), rng.randint(1, 9)
        if self.torch and rng.random() < 0.25:
            return [
                "import torch",
                f"abc = torch.tensor([[{a}.0, {b}.0]])",
                "abc.requires_grad_()",
                "loss = (abc ** 2).sum()",
                "loss.backward()",
                "print(abc.grad)",
            ]
        forms = (
            ["def quad(a, b, c, x): return a*x**2 + b*x + c", f"print(quad({a}, {b}, 1, 2))"],
            [f"values = [{a}, {b}, {a + b}]", "for i, v in enumerate(values):", "    print(i, v)"],
            ["# loss of a constant guess", f"acts = [{a}, {b}]", "print(sum(acts) / len(acts))"],
        )
        return rng.choice(forms)

    def _callout(self) -> None:
        rng = self.rng
        kind = rng.choice(CALLOUT_TYPES)
        roll = rng.random()
        if roll < 0.25:  # the seed's form: no space, empty title, lazy continuation line
            self.lines += [f">[!{kind}] ", self._sentence(), ""]
            return
        fold = rng.choice(("", "", "+", "-"))
        self.lines += [f"> [!{kind}]{fold} {rng.choice(HEADINGS)}", f"> {self._sentence()}"]
        if roll < 0.45:
            self.lines += [">", f"> > [!{rng.choice(CALLOUT_TYPES)}]", f"> > {self._sentence()}"]
        self.lines.append("")

    def _math_block(self) -> None:
        self.lines += ["$$", r"L = \frac{1}{n}\sum_{i=1}^{n} (y_i - \hat{y}_i)^2", "$$", ""]

    def _embed(self) -> None:
        if self.rng.random() < 0.05:
            self.lines += ["![[Pasted image 19990101000000.png]]", ""]
            return
        image = self.rng.choice(self.images).removeprefix(f"{ATTACHMENT_FOLDER}/")
        size = "|250" if self.rng.random() < 0.2 else ""
        self.lines += [f"![[{image}{size}]]", ""]

    def _table(self) -> None:
        self.lines += ["| metric | value |", "| --- | --- |"]
        for _ in range(self.rng.randint(1, 4)):
            self.lines.append(f"| {self.rng.choice(WORDS)} | {self.rng.random():.3f} |")
        self.lines.append("")

    def _comment(self) -> None:
        if self.rng.random() < 0.5:
            self.lines += [f"%% {self._sentence()} %%", ""]
        else:
            self.lines += ["%%", "```python", "print('not run: inside a comment')", "```", "%%", ""]

    def _timestamp(self) -> None:
        self.seconds += self.rng.randint(20, 400)
        text = _clock(self.seconds)
        roll = self.rng.random()
        if roll < 0.01:
            head, _, secs = text.rpartition(":")
            text = f"{head}:0{secs}"  # the plugin's own "19:010" slip
        if roll < 0.85:
            self.lines += ["```timestamp ", f" {text}", " ```"]
        else:
            self.lines += ["```timestamp", text, "```"]


def _clock(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes:02}:{secs:02}"


def _youtube_url(rng: random.Random) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
    video_id = "".join(rng.choice(alphabet) for _ in range(11))
    if rng.random() < 0.3:
        return f"https://youtu.be/{video_id}"
    return f"https://www.youtube.com/watch?v={video_id}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__)
    parser.add_argument("out", type=Path, help="folder to write the vault into")
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--torch", action="store_true", help="some code blocks import torch")
    args = parser.parse_args(argv)
    generate_vault(args.out, args.notes, args.seed, torch=args.torch)
    print(f"wrote {args.notes} notes to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
