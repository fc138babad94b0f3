#!/usr/bin/env python3
"""The Python peer of `digestlens ingest` for the benchmark (issue 13): what a competent Python
user would write to get the same core figures from the site's Markdown digests.

For every `*.md` file under DIR: the date (front matter `date:`), and for every paper (`# Title`
sections after the TL;DR) its title, authors, keywords and arXiv id, with regular expressions;
then keyword counts per ISO week with pandas, written to Parquet with pyarrow. Files are parsed
in a process pool (one process per core), as one would to use the machine.

    python3 scripts/peer/peer.py DIR OUT.parquet
"""

import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

DATE = re.compile(r"^date:\s*(\d{4}-\d{2}-\d{2})", re.M)
PAPER = re.compile(r"^# (.+)$", re.M)
AUTHORS = re.compile(r"^Authors:\s*(.+)$", re.M)
KEYWORDS = re.compile(r"^Keywords:\s*(.+)$", re.M)
ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})")
SPLIT = re.compile(r"\s*[,;]\s*")


def parse(path):
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    date = DATE.search(text)
    if not date:
        return []
    rows = []
    starts = [m.start() for m in PAPER.finditer(text)]
    for i, start in enumerate(starts):
        section = text[start : starts[i + 1] if i + 1 < len(starts) else len(text)]
        title = PAPER.match(section).group(1).strip()
        authors = AUTHORS.search(section)
        keywords = KEYWORDS.search(section)
        arxiv = ARXIV.search(section)
        rows.append(
            {
                "date": date.group(1),
                "title": title,
                "authors": [a for a in SPLIT.split(authors.group(1).strip()) if a] if authors else [],
                "keywords": [k.lower() for k in SPLIT.split(keywords.group(1).strip().rstrip(",")) if k] if keywords else [],
                "arxiv_id": arxiv.group(1) if arxiv else None,
            }
        )
    return rows


def main():
    folder, out = sys.argv[1], sys.argv[2]
    files = sorted(str(p) for p in Path(folder).rglob("*.md"))
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        papers = [row for rows in pool.map(parse, files, chunksize=64) for row in rows]
    df = pd.DataFrame(papers)
    df["date"] = pd.to_datetime(df["date"])
    df["week"] = df["date"].dt.strftime("%G-W%V")
    exploded = df.explode("keywords").dropna(subset=["keywords"])
    weekly = exploded.groupby(["week", "keywords"]).size().reset_index(name="papers")
    weekly.to_parquet(out, index=False)
    print(f"{len(files)} files, {len(df)} papers, {len(weekly)} week-keyword rows -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
