"""What `kg COMMAND --help` and the parsed command line promise, as the README and docs say it:
each command's help lists its options with an example that is itself a valid command, and
options left out take the defaults the documentation gives; docs/cli.md, the command reference,
gives each command's description and example and each option's sentence as `--help` prints
them. Nothing here tags a page, so mutation testing can run these for each of the argument
parser's mutants."""

from __future__ import annotations

import argparse
import os
import re
import shlex
from pathlib import Path

import pytest

from kg.cli import main, parser

COMMANDS = ["extract", "build", "train", "evaluate", "view", "export", "neo4j", "neo4j push"]
REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def help_of(command: str, capsys) -> str:
    with pytest.raises(SystemExit) as done:
        main([*command.split(), "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", COMMANDS)
def test_each_commands_help_ends_with_an_example_that_parses_as_that_command(command, capsys):
    text = help_of(command, capsys)
    assert text.startswith(f"usage: kg {command} ")
    example = re.fullmatch(r"(?s).*\nexample: (.+?)\n", text)[1]
    words = [word for word in shlex.split(example) if not re.match(r"[A-Z0-9_]+=", word)]  # NAME=value: environment
    assert words[: 1 + len(command.split())] == ["kg", *command.split()]
    if command == "neo4j":
        command = "neo4j push"  # its example is its subcommand's
    args = parser().parse_args(words[1:])
    assert [args.command, *([args.neo4j] if args.command == "neo4j" else [])] == command.split()


@pytest.mark.parametrize("command", ["extract", "build", "evaluate", "view", "export"])
def test_each_commands_help_lists_its_options(command, capsys):
    text = help_of(command, capsys)
    listed = set(re.findall(r"(?m)^  (--[a-z-]+)", text))
    documented = {  # README's "Using kg" and its paragraphs on input and larger corpora, docs/viewer.md
        "extract": {"--model", "--jobs", "--scheduler", "--quiet", "--script", "--cache"},
        "build": {"--model", "--jobs", "--scheduler", "--quiet", "--script", "--cache", "--no-cache", "--out",
                  "--window", "--min-weight", "--top", "--format", "--date", "--since", "--until", "--max-nodes",
                  "--max-edges-per-node"},  # fmt: skip
        "evaluate": {"--model"},
        "view": {"--max-nodes", "--max-edges-per-node", "--out", "--no-open"},
        "export": {"--format", "--out"},
    }[command]
    assert listed == documented


def test_build_takes_the_documented_defaults():
    args = parser().parse_args(["build", "seeds", "--out", "out"])
    # README: tag in as many processes as the machine has cores, cache under the output folder,
    # count co-occurrence per sentence, draw 500 entities and each one's 5 strongest ties.
    cores = len(os.sched_getaffinity(0))
    assert (args.paths, args.out, args.jobs, args.cache, args.no_cache) == (["seeds"], "out", cores, None, False)
    assert (args.window, args.min_weight, args.top, args.format) == ("sentence", 1, None, [])
    assert (args.max_nodes, args.max_edges_per_node, args.model, args.script) == (500, 5, "auto", "auto")
    assert (args.date, args.since, args.until, args.scheduler, args.quiet) == (None, None, None, None, False)


def test_options_take_their_documented_values():
    args = parser().parse_args(
        ["build", "a", "b", "--out", "o", "--window", "paragraph", "--min-weight", "3", "--top", "10", "--format",
         "gexf", "--date", "2025-07-24", "--since", "2025-01-01", "--until", "2025-12-31", "--script", "traditional",
         "--jobs", "2", "--max-nodes", "7", "--max-edges-per-node", "1", "--no-cache", "--quiet"]  # fmt: skip
    )
    assert (args.paths, args.window, args.min_weight, args.top, args.format) == (["a", "b"], "paragraph", 3, 10, ["gexf"])
    assert (args.date, args.since, args.until, args.script, args.jobs) == ("2025-07-24", "2025-01-01", "2025-12-31", "traditional", 2)
    assert (args.max_nodes, args.max_edges_per_node, args.no_cache, args.quiet) == (7, 1, True, True)
    for window in ("sentence", "paragraph", "article"):  # README: per sentence, `--window paragraph|article`
        assert parser().parse_args(["build", "a", "--out", "o", "--window", window]).window == window
    for script in ("auto", "simplified", "traditional"):  # README: `--script auto|simplified|traditional`
        assert parser().parse_args(["extract", "a", "--script", script]).script == script
    assert parser().parse_args(["build", "a", "--out", "o", "--format", "graphml", "--format", "gexf"]).format == [
        "graphml",
        "gexf",
    ]
    # README: `kg export DIR --format cypher`, "or neo4j-admin, gexf, graphml, json"
    for fmt in ("cypher", "neo4j-admin", "gexf", "graphml", "json"):
        assert parser().parse_args(["export", "out", "--format", fmt]).format == fmt
    view = parser().parse_args(["view", "out"])
    assert (view.path, view.out, view.no_open, view.max_nodes, view.max_edges_per_node) == ("out", None, False, 500, 5)


@pytest.mark.parametrize(
    "argv, wrong",
    [
        (["build", "seeds"], "--out"),  # where to write is required
        (["build", "seeds", "--out", "o", "--window", "page"], "page"),
        (["build", "seeds", "--out", "o", "--date", "2025-13-01"], "2025-13-01"),
        (["build", "seeds", "--out", "o", "--since", "2025-02-30"], "2025-02-30"),
        (["build", "seeds", "--out", "o", "--until", "July"], "July"),
        (["extract", "seeds", "--script", "cyrillic"], "cyrillic"),
        (["export", "out", "--format", "csv"], "csv"),
        (["build", "seeds", "--out", "o", "--format", "csv"], "csv"),
        (["export", "out"], "--format"),  # required: there is no default format
        (["neo4j"], "neo4j"),  # push is the only subcommand, and must be named
        ([], "command"),
    ],
)
def test_a_wrong_command_line_is_refused_naming_what_is_wrong(argv, wrong, capsys):
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    error = capsys.readouterr().err.splitlines()[-1]
    assert error.startswith("kg") and ": error: " in error and wrong in error


def commands_of(command_parser: argparse.ArgumentParser, name: str = "") -> list[str]:
    """Every command the parser has, "" for `kg` itself, found by walking its subcommands."""
    found = [name]
    for action in command_parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub, sub_parser in action.choices.items():
                found += commands_of(sub_parser, f"{name} {sub}".strip())
    return found


def reference() -> dict[str, dict]:
    """docs/cli.md by command: its description (the quoted line under the heading), its example
    and its table of options, {invocation: sentence}."""
    sections = {}
    for section in re.split(r"(?m)^## ", REFERENCE.read_text(encoding="utf-8"))[1:]:
        heading, body = section.split("\n", 1)
        example = re.search(r"(?m)^Example: `(.+)`$", body)
        sections[re.fullmatch(r"`kg ?(.*)`", heading)[1]] = {
            "description": re.search(r"(?m)^> (.+)$", body)[1],
            "example": example[1] if example else None,
            "options": dict(re.findall(r"(?m)^\| `([^`]+)` \| (.+) \|$", body)),
        }
    return sections


def listed(text: str) -> dict[str, str]:
    """The options, arguments and subcommands a `--help` lists, {invocation: sentence}; the
    sentence with its line breaks and indents made single spaces, "" when it has none."""
    entries: dict[str, list[str]] = {}
    entry = None
    for block in text.split("\n\n"):
        lines = block.splitlines()
        if lines[0] not in ("positional arguments:", "options:"):
            continue
        for line in lines[1:]:
            if len(line) - len(line.lstrip()) <= 4:  # an entry; its sentence's next lines are indented further
                entry, *sentence = re.split(r"\s{2,}", line.strip(), maxsplit=1)
                entries[entry] = sentence
            else:
                entries[entry].append(line)
    return {
        entry: " ".join(" ".join(sentence).split())
        for entry, sentence in entries.items()
        if not entry.startswith("{")  # argparse's list of the subcommands, each then listed below it
    }


def test_the_reference_has_a_section_for_each_command_and_no_other():
    assert sorted(reference()) == sorted(commands_of(parser()))


@pytest.mark.parametrize("command", commands_of(parser()))
def test_the_reference_gives_each_option_the_sentence_help_prints(command, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # wide enough that no word is cut
    printed = listed(help_of(command, capsys))
    if command:  # every command takes -h/--help; the reference gives it once, under `kg`
        assert printed.pop("-h, --help") == "show this help message and exit"
    assert printed == reference()[command]["options"]
    assert all(printed.values()), "an option --help says nothing about"


@pytest.mark.parametrize("command", commands_of(parser()))
def test_the_reference_gives_each_commands_description_and_example(command, capsys, monkeypatch):
    # On a narrow terminal: the example stays one line, to be copied whole; so does the description.
    monkeypatch.setenv("COLUMNS", "40")
    paragraphs = help_of(command, capsys).split("\n\n")
    documented = reference()[command]
    if command:
        assert paragraphs[1] == documented["description"]
        assert paragraphs[-1] == f"example: {documented['example']}\n"
    else:  # kg's own description is wrapped to the terminal
        assert " ".join(paragraphs[1].split()) == documented["description"]
