"""What the last `kg build` into an output folder was made from, so that a build of the same
files with the same pipeline and options is not done again."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from kg.export.files import atomic_write

MANIFEST = ".kg-build.json"


def build_digest(files: list[str], model: str, options: dict) -> str:
    """A digest of the files' paths and bytes, the pipeline (`pipeline_fingerprint`) and the
    build's options."""
    from kg.corpus import read_bytes
    from kg.nlp import pipeline_fingerprint

    digest = hashlib.sha256(pipeline_fingerprint(model).encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    for path in files:
        digest.update(path.encode() + b"\0" + hashlib.sha256(read_bytes(path)).digest())
    return digest.hexdigest()


def update_with_files(digest, roots: list[Path]) -> None:
    """Feed `digest` the path (from its root's parent) and bytes of each file under `roots`
    (files or folders), in a fixed order: a digest of code and data that changes when they do."""
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(f"{file.relative_to(root.parent)}\0".encode())
                digest.update(file.read_bytes())


def is_current(out: Path, digest: str) -> bool:
    """Whether `out` holds the outputs of a build of `digest`, each as that build wrote it."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return manifest.get("digest") == digest and manifest.get("outputs") == _stamps(out, manifest.get("outputs", {}))


def record(out: Path, digest: str, written: list[Path]) -> None:
    with atomic_write(out / MANIFEST) as handle:
        json.dump({"digest": digest, "outputs": _stamps(out, [Path(p).name for p in written])}, handle)


def _stamps(out: Path, names) -> dict[str, list[int]] | None:
    """{file name: [size, modification time in ns]}; None when one is missing."""
    stamps = {}
    for name in names:
        try:
            stat = os.stat(out / name)
        except OSError:
            return None
        stamps[name] = [stat.st_size, stat.st_mtime_ns]
    return stamps
