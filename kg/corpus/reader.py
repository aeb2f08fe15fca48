"""Read files, directories and globs of pages into articles."""

from __future__ import annotations

import glob
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from charset_normalizer import from_bytes
from tqdm import tqdm

from kg.corpus.dates import parse_date
from kg.corpus.script import split_page
from kg.document import Article
from kg.errors import InputError

TEXT_SUFFIXES = (".txt", ".md", ".jsonl")
# The encodings Chinese news text comes in; detection is confined to them so that binary junk
# is reported as undecodable instead of being read as some Latin code page.
_ENCODINGS = ["utf_8", "gb18030"]


def read_corpus(paths: list[str], errors: list | None = None, progress: bool = True) -> Iterator[Article]:
    """The articles of every page in `paths` (files, directories searched recursively, globs).

    A path or file that cannot be read raises InputError, or, when `errors` is a list, is
    appended to it and skipped.
    """
    files = list_files(paths, errors)
    bar = tqdm(files, unit="file", file=sys.stderr, disable=not progress or not sys.stderr.isatty())
    for path in bar:
        try:
            articles = read_file(path)
        except InputError as error:
            if errors is None:
                raise
            errors.append(error)
            continue
        yield from articles


def list_files(paths: list[str], errors: list | None = None) -> list[str]:
    """The text files `paths` name, in order (a directory's and a glob's sorted); a path that
    names none raises InputError, or, when `errors` is a list, is appended to it."""
    files = []
    for given in paths:
        try:
            files.extend(_files_of(given))
        except InputError as error:
            if errors is None:
                raise
            errors.append(error)
    return files


def _files_of(given: str) -> list[str]:
    path = Path(given)
    if path.is_file():
        return [given]
    if path.is_dir():
        found = sorted(
            str(found)
            for found in path.rglob("*")
            if found.is_file() and found.suffix.lower() in TEXT_SUFFIXES
        )
        if not found:
            raise InputError(f"{given}: no .txt, .md or .jsonl files in this directory")
        return found
    if glob.has_magic(given):
        found = sorted(
            name for name in glob.glob(given, recursive=True)
            if os.path.isfile(name) and name.lower().endswith(TEXT_SUFFIXES)
        )
        if not found:
            raise InputError(f"{given}: no .txt, .md or .jsonl files match this pattern")
        return found
    raise InputError(f"{given}: no such file or directory")


def read_file(path: str, data: bytes | None = None, script: str = "auto") -> list[Article]:
    """The articles of one file; `data`, when given, are its bytes, already read. `script`
    ("auto", "simplified", "traditional") says how its pages are read (kg.corpus.script)."""
    text = _decode(path, data)
    if path.lower().endswith(".jsonl"):
        return _read_jsonl(path, text, script)
    return split_page(text, path, script)


def read_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror or error}") from None


def _decode(path: str, data: bytes | None) -> str:
    """The text of the file at `path`: UTF-8 (with or without BOM) or GB18030/GBK, detected."""
    if data is None:
        data = read_bytes(path)
    if not data.strip():
        raise InputError(f"{path}: empty file")
    match = from_bytes(data, cp_isolation=_ENCODINGS).best()
    if match is None:
        raise InputError(f"{path}: cannot decode as UTF-8 or GB18030")
    text = str(match).removeprefix("\ufeff")
    if not text.strip():
        raise InputError(f"{path}: empty file")
    return text


def _read_jsonl(path: str, text: str, script: str) -> list[Article]:
    """Each record {"id", "text", optional "title", "date"} is one document, split like a page;
    its `date` (ISO 8601 or 2024年7月23日; null or "" for none) dates each of its articles.

    A record that splits into several articles numbers them "<id>/<k>" so that article ids
    stay unique; origins are left empty (a JSON string has no page layout to point back to).
    """
    articles: list[Article] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(f"{path}:{number}: not a JSON object: {error.msg}") from None
        if not isinstance(record, dict) or "id" not in record or not isinstance(record.get("text"), str):
            raise InputError(f'{path}:{number}: a record needs an "id" and a "text" string')
        body = record["text"]
        if isinstance(record.get("title"), str) and record["title"].strip():
            body = record["title"].strip() + "\n\n" + body
        date = _record_date(record.get("date"), f"{path}:{number}")
        found = split_page(body, path, script)
        for k, article in enumerate(found):
            article.index = len(articles)
            article.doc_id = str(record["id"]) if len(found) == 1 else f"{record['id']}/{k}"
            article.origins = []
            article.date = date or article.date
            articles.append(article)
    if not articles:
        raise InputError(f"{path}: no text in any record")
    return articles


def _record_date(value, where: str) -> str | None:
    if value is None or value == "":
        return None
    date = parse_date(value) if isinstance(value, str) else None
    if date is None:
        raise InputError(f'{where}: "date" {value!r} is not a date (2024-07-23 or 2024年7月23日)')
    return date
