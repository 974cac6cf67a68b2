"""A small corpus for the web tests: the example story, three stories of our own, and
articles whose text, title, URL and speakers carry markup and script."""

from __future__ import annotations

from corpus_data import FLOOD, REPAIRS, VOLUNTEERS, retitled
from conftest import EXAMPLES

from onrecord.corpus import Ingestor, open_corpus
from onrecord.ingest import Loaded
from onrecord.model import ArticleInput

XSS_TEXT = ('The <script>alert("text")</script> minister said the plan had "failed <img src=x onerror=alert(1)>". '
            '"We will <b>never</b> give up," said Officer Bob "><svg onload=alert(2)> Jones.')
XSS_TITLE = '"><img src=x onerror=alert("title")><script>alert("title")</script>'
XSS_URL = "javascript:alert('url')"


def build_corpus(db) -> None:
    """Ingest the web test corpus into the database ``db`` (a file or a URL)."""
    engine = open_corpus(str(db))
    kursk = (EXAMPLES / "kursk-ceasefire.txt").read_text(encoding="utf-8")
    items = [
        ("kursk", ArticleInput(kursk, "2025-03-15", title="Trump urges Putin to spare troops", site="wire.example",
                               url="https://wire.example/kursk")),
        ("flood", ArticleInput(FLOOD, "2025-03-11", title="River Dane bursts its banks", site="dailypost.example",
                               url="https://dailypost.example/flood")),
        ("flood-copy", ArticleInput(retitled(FLOOD), "2025-03-12", title="Town under water", site="other.example")),
        ("repairs", ArticleInput(REPAIRS, "2025-03-12", title="Holmbrook counts the cost", site="dailypost.example")),
        ("volunteers", ArticleInput(VOLUNTEERS, "2025-03-12", title="Volunteers fill sandbags", site="local.example")),
        ("xss", ArticleInput(XSS_TEXT, "2025-03-13", title=XSS_TITLE, site="<i>evil</i>.example", url=XSS_URL)),
    ]
    Ingestor(engine).ingest_loaded(Loaded(source, item, sha256=source) for source, item in items)
    engine.dispose()
