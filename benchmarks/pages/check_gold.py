"""Check benchmarks/pages/gold.json against the saved pages (standard library only).

Every gold `content`, every `more` fragment and every `not_statements` entry must occur,
whitespace collapsed, in the visible text of its page (script/style skipped, entities
unescaped). Prints each failure and a summary; exits 1 on any failure.

    nice -n 19 python3 benchmarks/pages/check_gold.py
"""
import json
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
BLOCK = {"p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "figcaption", "blockquote",
         "section", "article", "aside", "header", "footer", "nav", "main", "ul", "ol", "figure", "title", "form"}


class Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag in BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1
        if tag in BLOCK:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def collapse(text):
    return " ".join(text.split())


def visible_text(path):
    parser = Visible()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return collapse("".join(parser.parts))


def main():
    golds = json.loads((HERE / "gold.json").read_text(encoding="utf-8"))
    failures, by_kind, pages_by_kind, planted = [], Counter(), Counter(), 0
    for gold in golds:
        text = visible_text(HERE / gold["page"])
        pages_by_kind[gold["kind"]] += 1
        wanted = [("content", s["content"]) for s in gold["statements"]]
        wanted += [("more", m) for s in gold["statements"] for m in s.get("more", [])]
        wanted += [("not_statement", n) for n in gold.get("not_statements", [])]
        by_kind[gold["kind"]] += len(gold["statements"])
        planted += len(gold.get("not_statements", []))
        for label, snippet in wanted:
            if collapse(snippet) not in text:
                failures.append(f"{gold['page']}: {label} not in visible text: {snippet!r}")
    for line in failures:
        print("FAIL", line)
    print(f"pages: {len(golds)} ({', '.join(f'{k} {v}' for k, v in sorted(pages_by_kind.items()))})")
    print(f"gold statements: {sum(by_kind.values())} ({', '.join(f'{k} {v}' for k, v in sorted(by_kind.items()))})")
    print(f"not_statements: {planted}")
    print(f"failures: {len(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
