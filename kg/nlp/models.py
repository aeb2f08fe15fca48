"""Which pipeline a model name means, and a fingerprint of it, without importing spaCy: a
build that tags nothing (every file cached) starts a second sooner for it."""

from __future__ import annotations

import hashlib
from importlib.metadata import PackageNotFoundError, distribution
from importlib.util import find_spec
from pathlib import Path

import kg
from kg.manifest import update_with_files

KG_MODEL = Path(__file__).resolve().parent / "models" / "kg_zh_news"
ONTONOTES_MODELS = ("zh_core_web_trf", "zh_core_web_lg", "zh_core_web_md", "zh_core_web_sm")


def pipeline_fingerprint(model: str = "auto") -> str:
    """A digest of everything that decides what `load_pipeline(model)` tags: the model's
    files, kg's reading and tagging code and its data files, and kg's version. Tagged
    articles cached under one fingerprint are what the same pipeline would tag again."""
    digest = hashlib.sha256(f"kg {kg.__version__}\0{model}\0".encode())
    kg_root = Path(kg.__file__).resolve().parent
    folders = [kg_root / "corpus", kg_root / "nlp", kg_root / "document.py"]
    path = model_dir(model)
    if path is not None and not path.resolve().is_relative_to(kg_root / "nlp"):
        folders.append(path)
    update_with_files(digest, folders)
    return digest.hexdigest()


def installed_ontonotes_model() -> str | None:
    """The first of spaCy's official Chinese pipelines that is installed, best first."""
    return next((name for name in ONTONOTES_MODELS if is_package(name)), None)


def is_package(name: str) -> bool:
    """Whether `name` is an installed pipeline package (as spacy.util.is_package says)."""
    try:
        distribution(name)
    except PackageNotFoundError:
        return False
    return True


def model_dir(model: str) -> Path | None:
    """The folder of the pipeline `load_pipeline(model)` loads; None for kg's rules alone."""
    if model == "auto":
        name = installed_ontonotes_model()
        if name:
            return package_dir(name)
        return KG_MODEL if KG_MODEL.is_dir() else None
    if model == "kg":
        return KG_MODEL
    return package_dir(model) if is_package(model) else Path(model)


def package_dir(name: str) -> Path:
    """The folder of the installed package `name`, found without importing it."""
    return Path(find_spec(name).origin).parent
