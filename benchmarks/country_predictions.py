"""Print the country of every entity of some articles, as one version of the code resolves them.

Usage: ``python benchmarks/country_predictions.py ROOT ARTICLES.jsonl`` prints one JSON line per
article, ``{"id": ..., "entities": [{"start", "end", "text", "label", "iso3", "reason"}, ...]}``,
with ``iso3``/``reason`` null where the entity has no country.

``ROOT`` is the checkout whose ``components`` is imported: this tree, or an older commit unpacked by
``countries_benchmark.py`` so that both resolvers run on the same machine in the same run. Only what
every version since the package move has is used (``components.nlp.pipeline.load_pipeline`` and the
``span._.country``/``country_reason`` extensions). The scorer itself imports nothing from here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    """Write the predictions of the code under ``argv[0]`` for the articles in ``argv[1]`` to stdout."""
    root, articles = Path(argv[0]).resolve(), Path(argv[1])
    sys.path.insert(0, str(root))
    from components.nlp.pipeline import load_pipeline  # the version under ROOT

    nlp = load_pipeline()
    records = [json.loads(line) for line in articles.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = (record["text"] for record in records)
    for record, doc in zip(records, nlp.pipe(texts), strict=True):
        entities = [
            {
                "start": span.start_char,
                "end": span.end_char,
                "text": span.text,
                "label": span.label_,
                "iso3": span._.country or None,
                "reason": span._.country_reason or None,
            }
            for span in doc.ents
        ]
        print(json.dumps({"id": record["id"], "entities": entities}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
