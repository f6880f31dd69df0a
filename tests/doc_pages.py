"""Reads the README and docs pages as a reader meets them: their links, headings and the commands they show."""

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from tests.harness import PROJECT_DIR

SOPHIA_PREFIXES = ("bin/sophia", ".venv/bin/sophia", "sophia", "python -m sophia")
_FENCE = re.compile(r"^( *)```(\w*)\n(.*?)^\1```", re.S | re.M)
_LINK = re.compile(r"(?<!!)\[[^\]]+\]\(([^)\s]+)\)")
_INLINE = re.compile(r"`([^`\n]+)`")


@dataclass(frozen=True)
class Command:
    """One command a page shows: where, and its words as the shell would split them."""

    page: str
    words: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.page}: {' '.join(self.words)}"


def pages() -> list[Path]:
    """The README and every page in docs/."""
    return [PROJECT_DIR / "README.md", *sorted((PROJECT_DIR / "docs").glob("*.md"))]


def prose(text: str) -> str:
    """The page without its fenced blocks."""
    return _FENCE.sub("", text)


def blocks(text: str, language: str) -> list[str]:
    """The page's fenced blocks in one language, without the indentation of a list they sit in."""
    found = []
    for indent, lang, body in _FENCE.findall(text):
        if lang == language:
            found.append("\n".join(line.removeprefix(indent) for line in body.splitlines()))
    return found


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation but - and _ dropped, spaces to -."""
    text = re.sub(r"[`*]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of a page's headings."""
    return {slug(m) for m in re.findall(r"^#{1,6} (.+)$", prose(path.read_text()), re.M)}


def links(path: Path) -> list[str]:
    """The relative links of a page (web addresses aside)."""
    return [t for t in _LINK.findall(prose(path.read_text())) if not re.match(r"[a-z]+:", t)]


def _segments(script: str) -> list[tuple[str, ...]]:
    """Shell commands of a script: continuations joined, comments and redirections dropped, split at && ; | ( )."""
    found: list[tuple[str, ...]] = []
    for line in re.sub(r"\\\n\s*", " ", script).splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.wordchars += ":@%+,${}[]"
        words: list[str] = []
        redirect = False
        for token in [*lexer, ";"]:
            if redirect:
                redirect = False
            elif token in {">", ">>", "<"}:
                redirect = True
            elif token in {"&&", ";", "|", "||", "(", ")"}:
                found += [tuple(words)] if words else []
                words = []
            else:
                words.append(token)
    return found


def shell_commands(path: Path) -> list[Command]:
    """Every command in a page's bash blocks."""
    text = path.read_text()
    return [Command(path.name, words) for block in blocks(text, "bash") for words in _segments(block)]


def inline_sophia_commands(path: Path) -> list[Command]:
    """`bin/sophia ...` commands written inline in a page's prose (a bare `sophia plan` only names one)."""
    found = []
    for span in _INLINE.findall(prose(path.read_text())):
        for words in _segments(span):
            command = Command(path.name, words)
            if words[:1] == ("bin/sophia",) and len(words) > 1:
                found.append(command)
    return found


def sophia_argv(command: Command) -> list[str] | None:
    """The arguments after the `sophia` program, or None when the command runs another program."""
    words = list(command.words)
    for prefix in SOPHIA_PREFIXES:
        head = prefix.split()
        if words[: len(head)] == head:
            return [w for w in words[len(head) :] if w != "..."]
    return None
