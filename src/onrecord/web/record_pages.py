"""The record across articles: dispute threads and quotations, each with its evidence.

A dispute thread is one claim with every statement that denies it, in its own story or in
another outlet's days later, each denial with its outlet, date, how the link was made
(within the article, or across the corpus with the shared words and the speaker named) and
its score. A quotation is one utterance printed by several stories: its first appearance
beside every later one, the words an outlet changed, added or dropped marked.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from ..corpus import DisputeFilter
from .deps import Page, RowId, connection, page_params
from .deps import corpus as corpus_door
from .errors import wants_json
from .links import with_params
from .views import page_count, respond, twin
from .worddiff import side_by_side

router = APIRouter(include_in_schema=False)


def _day(name: str, value: str | None) -> str | None:
    """An ISO date from a form field; an empty field (as a form sends it) is no filter."""
    if not value or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise HTTPException(422, f"{name}: use a date like 2025-03-15") from None


def dispute_filter(scope: str | None = Query(None, pattern="^(|article|corpus)$",
                                             description="article: within one story; corpus: across stories"),
                   speaker: str | None = Query(None, max_length=200, description="part of either side's name"),
                   source: str | None = Query(None, max_length=200, description="part of either article's site"),
                   since: str | None = Query(None, max_length=10, description="denials from this date"),
                   until: str | None = Query(None, max_length=10, description="denials to this date")) -> DisputeFilter:
    """Dispute filters from the query string; empty fields are no filter."""
    return DisputeFilter(scope=scope or None, speaker=(speaker or "").strip() or None,
                         source=(source or "").strip() or None, since=_day("since", since), until=_day("until", until))


def _chips(request: Request, f: DisputeFilter) -> list[dict]:
    """The active filters, each with the link that removes it."""
    return [{"name": name, "value": value, "href": with_params(request.url, **{name: None})}
            for name in ("scope", "speaker", "source", "since", "until") if (value := getattr(f, name))]


@twin(router, "/disputes")
def disputes_page(request: Request, f: DisputeFilter = Depends(dispute_filter), page: Page = Depends(page_params),
                  conn=Depends(connection), corpus=Depends(corpus_door)):
    """Each claim once, with every statement that denies it, within its story and across others."""
    total = corpus.count_dispute_threads(f, conn=conn)
    threads = corpus.dispute_threads(f, limit=page.size, offset=page.offset, conn=conn)
    return respond(request, "disputes.html", {
        "threads": threads, "total": total, "filters": {k: v for k, v in vars(f).items() if v},
        "chips": _chips(request, f), "page": page.page, "pages": page_count(total, page.size)})


@twin(router, "/disputes/{statement_id:int}")
def dispute_thread_page(request: Request, statement_id: RowId, conn=Depends(connection),
                        corpus=Depends(corpus_door)):
    """One claim and all its denials; a denial's id leads to the thread of the claim it denies."""
    thread = corpus.dispute_thread(statement_id, conn=conn)
    if thread is None:
        raise HTTPException(404, f"no claim or denial {statement_id}")
    return respond(request, "dispute.html", {"thread": thread})


@twin(router, "/quotations")
def quotations_page(request: Request, speaker: str | None = Query(None, max_length=200),
                    altered: bool = Query(False, description="only those some story printed with other words"),
                    page: Page = Depends(page_params), conn=Depends(connection), corpus=Depends(corpus_door)):
    """Utterances printed by several stories, most printed first."""
    speaker = (speaker or "").strip() or None
    listing = corpus.quotations(speaker=speaker, altered=altered, limit=page.size, offset=page.offset, conn=conn)
    rows, total = listing.rows, listing.total
    for row in rows:
        row["relations"] = _relation_counts(row["appearances"])
    return respond(request, "quotations.html", {
        "rows": rows, "total": total, "filters": {"speaker": speaker, "altered": altered},
        "page": page.page, "pages": page_count(total, page.size)})


def _relation_counts(appearances: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for a in appearances:
        counts[a["relation"]] = counts.get(a["relation"], 0) + 1
    return counts


@twin(router, "/quotations/{quotation_id:int}")
def quotation_page(request: Request, quotation_id: RowId, conn=Depends(connection), corpus=Depends(corpus_door)):
    """A quotation's first appearance beside each later one, altered words marked."""
    quotation = corpus.quotation(quotation_id, conn=conn)
    if quotation is None:
        raise HTTPException(404, f"no quotation {quotation_id}")
    data = {"quotation": quotation}
    if not wants_json(request):
        first = quotation["appearances"][0]
        data["pairs"] = [(a, *side_by_side(first["text"], a["text"])) for a in quotation["appearances"][1:]]
    return respond(request, "quotation.html", data)

