"""Linking a stored corpus across its articles: identities, quotations, corpus disputes.

``relink`` reads what the joins need with a few grouped queries (speakers with their forms,
mention counts and dates; quoted statements; denials and claims), computes the links in
memory through indexes (by surname, by runs of quoted words, by content word), never over
all pairs, and replaces the stored links in one transaction. Ingest and batch run it after
storing new stories; ``onrecord relink`` runs it after a merge, an import or a
reanalysis. The article-scope disputes an article's own record holds are never touched.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import Connection, delete, func, insert, select, text, update
from sqlalchemy.engine import Engine

from ..store.schema import (articles, disputes, identities, mentions, people, quotation_members, quotations,
                            speaker_aliases, speaker_joins, speaker_overrides, speakers, statements)
from . import crossdisputes, quotations as quoting
from ..store.state import read_state, write_state
from .identities import Identity, Join, Override, Person, SpeakerInfo, resolve
from .linkers import DEFAULT_LINKERS, linker, linker_state, resolve_linkers
from ..names import clean_name, surname

#: An advisory lock id for PostgreSQL: one relink at a time.
_LOCK = 0x6F6E7265


@dataclass
class RelinkSummary:
    """What a relink made."""

    speakers: int = 0
    identities: int = 0
    joins: int = 0
    quotations: int = 0
    corpus_disputes: int = 0
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One line for people: the counts."""
        return (f"speakers {self.speakers} in {self.identities} identities ({self.joins} joined), "
                f"quotations {self.quotations}, disputes across articles {self.corpus_disputes}")


def relink(engine: Engine, linker_ids: Sequence[str] = DEFAULT_LINKERS) -> RelinkSummary:
    """Run the linkers in order over the whole corpus (one transaction) and store which ran."""
    summary = RelinkSummary()
    chosen = resolve_linkers(linker_ids)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK})
        for step in chosen:
            setattr(summary, step.produces, step.func(conn))
        summary.speakers = conn.execute(select(func.count()).select_from(speakers)).scalar()
        summary.joins = conn.execute(select(func.count()).select_from(speaker_joins)).scalar()
        write_state(conn, "linkers", linker_state(linker_ids))
    return summary


def needs_relink(engine: Engine) -> bool:
    """Whether some stored speaker has no identity yet (a corpus from before linking)."""
    with engine.connect() as conn:
        return conn.execute(select(speakers.c.id).where(speakers.c.identity_id.is_(None)).limit(1)).first() is not None


def stale_links(engine: Engine, linker_ids: Sequence[str] = DEFAULT_LINKERS) -> str | None:
    """Why the corpus's links are out of date (other linkers or words made them, or none
    did), or None when they are current."""
    with engine.connect() as conn:
        stored = read_state(conn, "linkers")
    wanted = linker_state(linker_ids)
    if stored is None:
        return "no record of the linkers that made the links"
    if stored.get("linkers") != wanted["linkers"]:
        return f"made by {', '.join(stored.get('linkers') or [])}, not {', '.join(wanted['linkers'])}"
    if stored.get("words") != wanted["words"]:
        return "made with other words (lexicon or identity rules)"
    return None


# -- speakers ----------------------------------------------------------------------------------

def speaker_infos(conn: Connection) -> list[SpeakerInfo]:
    """Every stored speaker with its forms, mention count and the dates of its articles."""
    infos = {row.id: SpeakerInfo(row.id, row.key, row.name, row.kind, mentions=0)
             for row in conn.execute(select(speakers.c.id, speakers.c.key, speakers.c.name, speakers.c.kind))}
    # another writer may store a story meanwhile (PostgreSQL reads each statement afresh):
    # what belongs to a speaker not read yet waits for the next relink
    for row in conn.execute(select(speaker_aliases.c.speaker_id, speaker_aliases.c.alias)):
        if row.speaker_id in infos:
            infos[row.speaker_id].forms.append(row.alias)
    counted = (select(mentions.c.speaker_id, mentions.c.article_id, mentions.c.text, func.count().label("n"),
                      articles.c.first_published)
               .join(articles, articles.c.id == mentions.c.article_id)
               .group_by(mentions.c.speaker_id, mentions.c.article_id, mentions.c.text, articles.c.first_published))
    for row in conn.execute(counted):
        info = infos.get(row.speaker_id)
        if info is None:
            continue
        info.mentions += row.n
        if row.text not in info.forms:
            info.forms.append(row.text)
        if row.article_id not in info.articles:
            info.articles.append(row.article_id)
            if row.first_published:
                info.dates.append(row.first_published)
    return list(infos.values())


@linker("identities.v1", produces="identities")
def link_identities(conn: Connection) -> int:
    """Join article speakers into identities (same name, spelling, surname, pinned people, merges).

    A surname joins the one full-named candidate near that time; the user's merges and
    splits hold over every rule."""
    found, _ = _link_speakers(conn)
    return len(found)


def _link_speakers(conn: Connection) -> tuple[list[Identity], list[Join]]:
    infos = speaker_infos(conn)
    pinned = [Person(r.id, r.name, tuple(json.loads(r.aliases)), r.kind) for r in conn.execute(select(people))]
    overrides = [Override(r.action, r.key, r.target_key)
                 for r in conn.execute(select(speaker_overrides).order_by(speaker_overrides.c.id))]

    @lru_cache(maxsize=256)
    def article_text(article_id: int) -> str:
        return conn.execute(select(articles.c.text).where(articles.c.id == article_id)).scalar() or ""

    found, joins = resolve(infos, pinned, overrides, article_text)
    conn.execute(delete(speaker_joins))
    conn.execute(delete(identities))
    if found:
        conn.execute(insert(identities), [{"id": i.id, "name": i.name, "kind": i.kind, "named": i.named,
                                           "person_id": i.person_id} for i in found])
    if joins:
        conn.execute(insert(speaker_joins), [{"speaker_id": j.speaker_id, "identity_id": j.identity_id,
                                              "rule": j.rule, "evidence": j.evidence,
                                              "confidence": j.confidence} for j in joins])
    by_speaker = {m: i.id for i in found for m in i.members}
    rows = [{"sid": s.id, "identity": by_speaker[s.id],
             "surname": (surname(clean_name(s.name, "person") or "") or None) if s.kind == "person" else None}
            for s in infos]
    if rows:
        stmt = update(speakers).where(speakers.c.id == _bind("sid")).values(
            identity_id=_bind("identity"), surname=_bind("surname"))
        conn.execute(stmt, rows)
    return found, joins


def _bind(name: str):
    from sqlalchemy import bindparam

    return bindparam(name)


# -- quotations --------------------------------------------------------------------------------

@linker("quotations.v1", produces="quotations")
def _link_quotations(conn: Connection) -> int:
    """Group the printings of one speaker's quotation across stories: first, exact, partial, altered."""
    rows = conn.execute(
        select(statements.c.id, statements.c.article_id, statements.c.kind, statements.c.content,
               speakers.c.identity_id, articles.c.first_published, articles.c.site)
        .join(speakers, speakers.c.id == statements.c.speaker_id)
        .join(articles, articles.c.id == statements.c.article_id)
        .where(statements.c.kind.in_(("direct", "mixed")), speakers.c.identity_id.is_not(None)))
    printings = []
    for r in rows:
        quoted = quoting.quoted_text(r.content, r.kind)
        if quoted:
            printings.append(quoting.Printing(r.id, r.article_id, r.identity_id, quoted, r.first_published, r.site))
    found = quoting.group(printings)
    conn.execute(delete(quotation_members))
    conn.execute(delete(quotations))
    if found:
        conn.execute(insert(quotations), [{"id": q.id, "identity_id": q.identity_id, "text": q.text,
                                           "first_statement_id": q.id, "appearances": len(q.members)}
                                          for q in found])
        conn.execute(insert(quotation_members), [
            {"statement_id": m.printing.statement_id, "quotation_id": q.id, "text": m.printing.text,
             "relation": m.relation, "changes": json.dumps(m.changes) if m.changes else None}
            for q in found for m in q.members])
    return len(found)


# -- disputes ----------------------------------------------------------------------------------

@linker("disputes.v1", produces="corpus_disputes")
def _link_disputes(conn: Connection) -> int:
    """Link each denial to the claim it denies printed by another story, with score and evidence."""
    conn.execute(delete(disputes).where(disputes.c.scope == "corpus"))
    article_pairs: dict[int, set[int]] = {}
    for claim_id, denial_id in conn.execute(select(disputes.c.claim_id, disputes.c.denial_id)):
        article_pairs.setdefault(denial_id, set()).add(claim_id)
    linked = set(article_pairs)
    kinds = tuple(crossdisputes.CLAIM_TYPES | {"denial"})
    rows = conn.execute(
        select(statements.c.id, statements.c.article_id, statements.c.type, statements.c.content,
               statements.c.cue_start, statements.c.content_start, speakers.c.identity_id,
               identities.c.name.label("speaker"), articles.c.first_published)
        .join(articles, articles.c.id == statements.c.article_id)
        .outerjoin(speakers, speakers.c.id == statements.c.speaker_id)
        .outerjoin(identities, identities.c.id == speakers.c.identity_id)
        .where(statements.c.type.in_(kinds))).all()
    if not any(r.type == "denial" for r in rows):  # one linked in its article may name an earlier claim
        return 0
    forms = _identity_words(conn)
    said = []
    for r in rows:
        s = crossdisputes.Said(r.id, r.article_id, r.identity_id, r.speaker, r.type, r.content, r.first_published,
                               speaker_words=forms.get(r.identity_id, set()))
        if r.type == "denial" and r.id not in linked:
            s.preamble = _preamble(conn, r)
        said.append(s)
    found = crossdisputes.link(said, linked, article_pairs=article_pairs)
    if found:
        conn.execute(insert(disputes), [{"claim_id": f.claim_id, "denial_id": f.denial_id, "scope": "corpus",
                                         "score": f.score, "evidence": json.dumps(f.evidence)} for f in found])
    return len(found)


def _identity_words(conn: Connection) -> dict[int, set[str]]:
    """The words of every name and alias of each identity (``Ruiz``, ``mayor``, ``Marco``)."""
    words: dict[int, set[str]] = defaultdict(set)
    for row in conn.execute(select(speakers.c.identity_id, speaker_aliases.c.alias)
                            .join(speaker_aliases, speaker_aliases.c.speaker_id == speakers.c.id)):
        words[row.identity_id].update(w.strip(".,’'").lower() for w in row.alias.split())
    for row in conn.execute(select(identities.c.id, identities.c.name)):
        words[row.id].update(w.lower() for w in row.name.split())
    return words


def _preamble(conn: Connection, row) -> str:
    """The words between a denial's cue and its content, where it names whom it denies."""
    if row.cue_start is None or row.content_start is None or row.cue_start >= row.content_start:
        return ""
    return conn.execute(select(func.substr(articles.c.text, row.cue_start + 1, row.content_start - row.cue_start))
                        .where(articles.c.id == row.article_id)).scalar() or ""
