"""Linking a stored corpus across its articles: identities, quotations, corpus disputes.

Two ways, one result. ``relink`` runs the linkers over the whole corpus (after a merge,
an import, a reanalysis, or when the links are stale). ``link_new`` links the stories a
run just stored against what the corpus already knows, reading only the part a new story
can change:

* **identities**: every decision joins speakers that share a key (a full name, a body's
  name, a surname, a pinned person's name, a user's merge), so the speakers connected to
  the new stories' speakers through shared keys are resolved again, and nobody else;
* **quotations** are grouped per identity: those of the identities just resolved again;
* **disputes**: a denial's link depends on the claims sharing its words, the identities
  named, and the words printed in its window (``crossdisputes.WindowCounts``); the
  denials any of these changed for are linked again through the word index.

A test and ``benchmarks/bench_link.py`` compare the two on corpora of their own. The
article-scope disputes an article's own record holds are never touched.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import Connection
from sqlalchemy.engine import Engine

from ..lexicon import Lexicon, in_force, using
from ..names import clean_name, surname
from ..store import link_queries as q, queries
from ..store.state import read_state, write_state
from . import crossdisputes, factcheck_links, quotations as quoting
from .identities import Identity, Join, Override, Person, Quoted, SpeakerInfo, link_keys, resolve
from .linkers import DEFAULT_LINKERS, linker, linker_state, resolve_linkers

#: When a run stores more than this share of the corpus, a full relink is as cheap.
FULL_SHARE = 0.2
_SAID_TYPES = tuple(sorted(crossdisputes.CLAIM_TYPES | {"denial"}))


@dataclass
class RelinkSummary:
    """What a relink made."""

    speakers: int = 0
    identities: int = 0
    joins: int = 0
    quotations: int = 0
    corpus_disputes: int = 0
    incremental: bool = False
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One line for people: the counts."""
        return (f"speakers {self.speakers} in {self.identities} identities ({self.joins} joined), "
                f"quotations {self.quotations}, disputes across articles {self.corpus_disputes}")


def relink(engine: Engine, linker_ids: Sequence[str] = DEFAULT_LINKERS,
           lexicon: Lexicon | None = None) -> RelinkSummary:
    """Run the linkers in order over the whole corpus (one transaction) and store which ran;
    ``lexicon`` is put in force for the names and words they read (the shipped one by default)."""
    chosen = resolve_linkers(linker_ids)
    with using(lexicon), engine.begin() as conn:
        _lock(conn)
        return _relink_all(conn, chosen, linker_ids)


def _relink_all(conn: Connection, chosen: list, linker_ids: Sequence[str]) -> RelinkSummary:
    for step in chosen:
        step.func(conn)
    write_state(conn, "linkers", linker_state(linker_ids))
    q.clear_pending(conn)
    return _totals(conn, RelinkSummary())


def link_new(engine: Engine, lexicon: Lexicon | None = None) -> RelinkSummary | None:
    """Link the stories stored (or dated earlier) since the last link into the corpus:
    incrementally when its links are current (same linkers, same words), else by a full
    relink; None when none wait. ``lexicon`` is in force as in ``relink``."""
    with using(lexicon), engine.begin() as conn:
        _lock(conn)
        article_ids = q.pending(conn)
        if not article_ids:
            return None
        stored = queries.count_stored(conn)
        wanted = linker_state(DEFAULT_LINKERS)
        current = read_state(conn, "linkers") == wanted and read_state(conn, "link_index") == {"words": wanted["words"]}
        if not current or len(article_ids) > FULL_SHARE * stored:
            return _relink_all(conn, resolve_linkers(DEFAULT_LINKERS), DEFAULT_LINKERS)
        changed = _relink_identities_around(conn, article_ids)
        _link_quotations(conn, changed.identity_ids)
        _relink_disputes_around(conn, article_ids, changed)
        factcheck_links.match_articles(conn, article_ids)
        q.clear_pending(conn, article_ids)
        return _totals(conn, RelinkSummary(incremental=True))


def _lock(conn: Connection) -> None:
    q.lock_links(conn)


def _totals(conn: Connection, summary: RelinkSummary) -> RelinkSummary:
    totals = q.link_totals(conn)
    summary.speakers, summary.identities, summary.joins = totals["speakers"], totals["identities"], totals["joins"]
    summary.quotations, summary.corpus_disputes = totals["quotations"], totals["corpus_disputes"]
    return summary


def needs_relink(engine: Engine) -> bool:
    """Whether some stored speaker has no identity yet (a corpus from before linking)."""
    with engine.connect() as conn:
        return q.has_unlinked_speakers(conn)


def stale_links(engine: Engine, linker_ids: Sequence[str] = DEFAULT_LINKERS,
                lexicon: Lexicon | None = None) -> str | None:
    """Why the corpus's links are out of date (other linkers or words made them, or none
    did), or None when they are current (against ``lexicon``, the shipped one by default)."""
    with engine.connect() as conn:
        stored = read_state(conn, "linkers")
    with using(lexicon):
        wanted = linker_state(linker_ids)
    if stored is None:
        return "no record of the linkers that made the links"
    if stored.get("linkers") != wanted["linkers"]:
        return f"made by {', '.join(stored.get('linkers') or [])}, not {', '.join(wanted['linkers'])}"
    if stored.get("words") != wanted["words"]:
        return "made with other words (lexicon or identity rules)"
    return None


# -- speakers ----------------------------------------------------------------------------------

def speaker_infos(conn: Connection, ids: Collection[int] | None = None) -> list[SpeakerInfo]:
    """Stored speakers (all, or ``ids``) with their forms, mention counts and article dates."""
    infos = {r.id: SpeakerInfo(r.id, r.key, r.name, r.kind, mentions=0) for r in q.speaker_rows(conn, ids)}
    # another writer may store a story meanwhile (PostgreSQL reads each statement afresh):
    # what belongs to a speaker not read yet waits for the next relink
    for row in q.alias_rows(conn, ids):
        if row.speaker_id in infos:
            infos[row.speaker_id].forms.append(row.alias)
    for row in q.mention_counts(conn, ids):
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
    for row in q.speaker_quotes(conn, ids):
        info = infos.get(row.speaker_id)
        quoted = quoting.quoted_text(row.content, row.kind) if info is not None else None
        if info is not None and quoted:
            info.quotes.append(Quoted(row.article_id, quoted))
    return list(infos.values())


@linker("identities.v2", produces="identities")
def link_identities(conn: Connection) -> int:
    """Join article speakers into identities (same name, spelling, surname, pinned people, merges).

    A surname joins the one full-named candidate near that time; the user's merges and
    splits hold over every rule."""
    infos = speaker_infos(conn)
    q.replace_keys(conn, [{"speaker_id": s.id, "key": k} for s in infos for k in sorted(link_keys(s))])
    found, joins = _resolve(conn, infos)
    q.replace_identities(conn, *_identity_rows(found, joins, infos))
    return len(found)


def _resolve(conn: Connection, infos: list[SpeakerInfo]) -> tuple[list[Identity], list[Join]]:
    pinned = [Person(r.id, r.name, tuple(json.loads(r.aliases)), r.kind) for r in q.people_rows(conn)]
    overrides = [Override(r.action, r.key, r.target_key) for r in q.override_rows(conn)]

    @lru_cache(maxsize=256)
    def article_text(article_id: int) -> str:
        return q.article_text(conn, article_id)

    return resolve(infos, pinned, overrides, article_text)


def _identity_rows(found: list[Identity], joins: list[Join], infos: list[SpeakerInfo]
                   ) -> tuple[list[dict], list[dict], list[dict]]:
    by_speaker = {m: i.id for i in found for m in i.members}
    return ([{"id": i.id, "name": i.name, "kind": i.kind, "named": i.named, "person_id": i.person_id} for i in found],
            [{"speaker_id": j.speaker_id, "identity_id": j.identity_id, "rule": j.rule, "evidence": j.evidence,
              "confidence": j.confidence} for j in joins],
            [{"sid": s.id, "identity": by_speaker[s.id],
              "surname": (surname(clean_name(s.name, "person") or "") or None) if s.kind == "person" else None}
             for s in infos])


@dataclass
class Changed:
    """What an incremental identity link touched: the identities it made or unmade (ids),
    and those whose members or name changed (for the disputes, which read both)."""

    identity_ids: set[int]
    changed_identities: set[int]
    changed_speakers: set[int]


def _relink_identities_around(conn: Connection, article_ids: Collection[int]) -> Changed:
    """Resolve again the speakers connected by shared keys to the given articles' speakers."""
    new = q.speakers_without_keys(conn)
    q.write_keys(conn, [{"speaker_id": r.id, "key": k}
                        for r in new for k in sorted(link_keys(SpeakerInfo(r.id, r.key, r.name, r.kind)))])
    group = _connected(conn, q.speakers_of_articles(conn, article_ids) | {r.id for r in new})
    before = q.identity_members(conn, group)
    old_ids = {i for i in before.values() if i is not None}
    old = {r.id: (r.name, r.kind) for r in q.identity_rows(conn, old_ids)}
    infos = speaker_infos(conn, group)
    found, joins = _resolve(conn, infos)
    q.replace_identities(conn, *_identity_rows(found, joins, infos), old_ids=old_ids, speaker_ids=group)
    members_before: dict[int, set[int]] = defaultdict(set)
    for sid, ident in before.items():
        if ident is not None:
            members_before[ident].add(sid)
    changed = {i.id for i in found if (i.name, i.kind) != old.get(i.id) or set(i.members) != members_before.get(i.id)}
    changed |= old_ids - {i.id for i in found}
    changed_speakers = {m for i in found if i.id in changed for m in i.members}
    changed_speakers |= {s for s, i in before.items() if i in changed}
    return Changed(old_ids | {i.id for i in found}, changed, changed_speakers)


def _connected(conn: Connection, start: set[int]) -> set[int]:
    """``start`` and every speaker joined to it through shared keys, pinned people's names
    and the user's merges: the speakers whose identities the rules decide together."""
    bridges = _key_bridges(conn)
    group: set[int] = set()
    frontier = set(start)
    seen_keys: set[str] = set()
    while frontier:
        group |= frontier
        keys = {r.key for r in q.keys_of(conn, frontier)} - seen_keys
        for key in list(keys):
            keys |= bridges.get(key, set())
        keys -= seen_keys
        seen_keys |= keys
        frontier = q.speakers_with_keys(conn, keys) - group if keys else set()
    return group


def _key_bridges(conn: Connection) -> dict[str, set[str]]:
    """Keys that a pinned person or a user's merge ties together, each to the others."""
    from .identities import person_keys

    tied: list[set[str]] = [person_keys(Person(r.id, r.name, tuple(json.loads(r.aliases)), r.kind))
                            for r in q.people_rows(conn)]
    tied += [{f"key:{r.key}", f"key:{r.target_key}"} for r in q.override_rows(conn)
             if r.action == "merge" and r.target_key]
    bridges: dict[str, set[str]] = defaultdict(set)
    for keys in tied:
        for key in keys:
            bridges[key] |= keys
    # a chain of ties (A-B in one, B-C in another) is one tie
    changed = True
    while changed:
        changed = False
        for key, others in bridges.items():
            wider = set().union(*(bridges[o] for o in others))
            if not wider <= others:
                others |= wider
                changed = True
    return bridges


# -- quotations --------------------------------------------------------------------------------

@linker("quotations.v2", produces="quotations")
def _link_all_quotations(conn: Connection) -> int:
    """Group the printings of one speaker's quotation across stories: first, exact, partial, altered."""
    return _link_quotations(conn, None)


def _link_quotations(conn: Connection, identity_ids: Collection[int] | None) -> int:
    """Group the printings of the given identities (all: None) and put their quotations in place."""
    printings = []
    agencies = in_force().layout.agencies
    for r in q.quoted_rows(conn, identity_ids):
        quoted = quoting.quoted_text(r.content, r.kind)
        if quoted:
            printings.append(quoting.Printing(r.id, r.article_id, r.identity_id, quoted, r.first_published, r.site,
                                              wire=quoting.credited_wire(r.dateline, r.byline, agencies)))
    found = quoting.group(printings)
    q.replace_quotations(
        conn,
        [{"id": g.id, "identity_id": g.identity_id, "text": g.text, "first_statement_id": g.id,
          "appearances": len(g.members), "first_reason": g.first_reason} for g in found],
        [{"statement_id": m.printing.statement_id, "quotation_id": g.id, "text": m.printing.text,
          "relation": m.relation, "changes": json.dumps(m.changes) if m.changes else None}
         for g in found for m in g.members],
        identity_ids)
    return len(found)


# -- fact-checks -------------------------------------------------------------------------------

@linker("factchecks.v1", produces="factcheck_matches")
def _link_factchecks(conn: Connection) -> int:
    """Match every imported fact-check with the statements of its claimant that make its claim."""
    return factcheck_links.match_reviews(conn)


# -- disputes ----------------------------------------------------------------------------------

@linker("disputes.v3", produces="corpus_disputes")
def _link_disputes(conn: Connection) -> int:
    """Link each denial to the claim it denies printed by another story, with score and evidence."""
    article_pairs = _article_pairs(conn)
    said = _said(conn, q.said_rows(conn, _SAID_TYPES), set(article_pairs))
    _refresh_index(conn, said)
    if not any(s.type == "denial" for s in said):  # one linked in its article may name an earlier claim
        q.replace_corpus_disputes(conn, [])
        return 0
    by_id = {s.id: s for s in said}
    restated = {c for claims in article_pairs.values() for c in claims}
    first_printing = {r: by_id[f] for r, f in q.first_printings(conn, restated).items() if f in by_id}
    found = crossdisputes.link(said, set(article_pairs), article_pairs=article_pairs,
                               first_printing=first_printing, names_in_story=_names_in_story(conn))
    q.replace_corpus_disputes(conn, [_row(f) for f in found])
    return len(found)


def _names_in_story(conn: Connection) -> Callable[[int, str], bool]:
    """Whether a story's text names someone (``port authority``), whole words, any case."""
    @lru_cache(maxsize=256)
    def text_of(article_id: int) -> str:
        return q.article_text(conn, article_id)

    def names(article_id: int, name: str) -> bool:
        pattern = r"\b" + r"\s+".join(re.escape(w) for w in name.split()) + r"\b"
        return bool(name.strip()) and re.search(pattern, text_of(article_id), re.IGNORECASE) is not None

    return names


def _said(conn: Connection, rows: list, linked: set[int]) -> list[crossdisputes.Said]:
    """The linker's view of stored claims and denials (a denial's preamble read when it has
    no link in its own article)."""
    forms = _identity_words(conn, {r.identity_id for r in rows if r.identity_id is not None})
    out = []
    for r in rows:
        s = crossdisputes.Said(r.id, r.article_id, r.identity_id, r.speaker, r.type, r.content, r.first_published,
                               speaker_words=forms.get(r.identity_id, set()))
        if r.type == "denial" and r.id not in linked:
            s.preamble = _preamble(conn, r)
        out.append(s)
    return out


def _refresh_index(conn: Connection, said: list[crossdisputes.Said]) -> None:
    """Bring the dispute index up to date: the statements it lacks and those of stories
    dated anew; all of it when other words (stop words, negations) made it."""
    words = linker_state()["words"]
    if read_state(conn, "link_index") != {"words": words}:
        _index_said(conn, said, None)
        write_state(conn, "link_index", {"words": words})
        return
    todo = q.unindexed(conn, _SAID_TYPES) | q.statements_of_articles(conn, q.pending(conn))
    _index_said(conn, [s for s in said if s.id in todo], todo)


def _index_said(conn: Connection, said: list[crossdisputes.Said], statement_ids: Collection[int] | None) -> None:
    """Write the dispute index rows of ``said`` (replacing those of ``statement_ids``; all: None)."""
    rows, words = [], []
    for s in said:
        day = crossdisputes.day_of(s.published)
        claim = s.type != "denial"
        rows.append({"statement_id": s.id, "day": day, "claim": claim, "words": len(s.words)})
        words += [{"statement_id": s.id, "word": w, "claim": claim, "day": day} for w in sorted(s.words)]
    q.write_said(conn, rows, words, statement_ids)


def _article_pairs(conn: Connection) -> dict[int, set[int]]:
    pairs: dict[int, set[int]] = {}
    for claim_id, denial_id in q.article_disputes(conn):
        pairs.setdefault(denial_id, set()).add(claim_id)
    return pairs


def _row(found: crossdisputes.Link) -> dict:
    return {"claim_id": found.claim_id, "denial_id": found.denial_id, "score": found.score,
            "evidence": found.evidence}


def _identity_words(conn: Connection, identity_ids: Collection[int] | None = None) -> dict[int, set[str]]:
    """The words of every name and alias of each identity (``Ruiz``, ``mayor``, ``Marco``)."""
    words: dict[int, set[str]] = defaultdict(set)
    for identity_id, name in q.identity_words(conn, identity_ids):
        words[identity_id].update(w.strip(".,’'").lower() for w in name.split())
    return words


def _preamble(conn: Connection, row) -> str:
    """The words between a denial's cue and its content, where it names whom it denies."""
    if row.cue_start is None or row.content_start is None or row.cue_start >= row.content_start:
        return ""
    return q.preamble(conn, row.article_id, row.cue_start, row.content_start)


def _relink_disputes_around(conn: Connection, article_ids: Collection[int], changed: Changed) -> None:
    """Link again the denials whose link the new stories (or the identities they changed) can alter."""
    window = crossdisputes.WINDOW_DAYS
    article_pairs = _article_pairs(conn)
    linked = set(article_pairs)
    fresh = _said(conn, q.said_rows(conn, _SAID_TYPES, article_ids=article_ids), linked)
    _index_said(conn, fresh, [s.id for s in fresh])
    affected = {s.id for s in fresh if s.type == "denial"}
    touched_claims = [s for s in fresh if s.type != "denial" and s.words]
    changed_claims = q.statements_of_speakers(conn, changed.changed_speakers, crossdisputes.CLAIM_TYPES)
    affected |= q.statements_of_speakers(conn, changed.changed_speakers, ("denial",))
    if changed_claims:
        touched_claims += [s for s in _said(conn, q.said_rows(conn, _SAID_TYPES, ids=changed_claims), linked)
                           if s.words]
    for c in touched_claims:  # denials that may now find (or lose) this claim
        day = crossdisputes.day_of(c.published)
        affected |= q.sharing(conn, c.words, claim=False, at_least=2,
                              lo=day, hi=None if day is None else day + window)
    for day in {crossdisputes.day_of(s.published) for s in fresh if s.words}:  # words' weights in their window
        if day is not None:
            affected |= q.denials_dated(conn, day, day + window)
    if any(s.words for s in fresh):
        affected |= q.undated_denials(conn)
    affected |= q.denials_restating(conn, changed.identity_ids)  # their quotations were grouped anew
    links = {f.denial_id: f for f in _stored_raw_links(conn)}
    denials = _said(conn, q.said_rows(conn, ("denial",), ids=affected), linked) if affected else []
    names_in_story = _names_in_story(conn)
    for d in denials:
        links.pop(d.id, None)
        if not d.words:
            continue
        restated, first_printing = _restated(conn, article_pairs.get(d.id, set()), linked)
        best = crossdisputes.denied_claim(d, _candidates(conn, d), _weights(conn, d), window, d.id in article_pairs,
                                          restated, first_printing, names_in_story)
        if best is not None:
            links[d.id] = best
    found = list(links.values())
    involved = {f.denial_id for f in found} | {f.claim_id for f in found} | \
        {c for f in found for c in article_pairs.get(f.denial_id, ())}
    by_id = {s.id: s for s in _said(conn, q.said_rows(conn, _SAID_TYPES, ids=involved), linked)}
    moved = crossdisputes.to_first_printing(sorted(found, key=lambda f: f.denial_id), article_pairs, by_id)
    q.replace_corpus_disputes(conn, [_row(f) for f in moved])


def _restated(conn: Connection, claim_ids: set[int], linked: set[int]
              ) -> tuple[list[crossdisputes.Said], dict[int, crossdisputes.Said]]:
    """The claims a denial's own story links it to, and the first printing of the quotation
    each prints (when it is not that first printing itself)."""
    if not claim_ids:
        return [], {}
    restated = _said(conn, q.said_rows(conn, _SAID_TYPES, ids=claim_ids), linked)
    firsts = q.first_printings(conn, claim_ids)
    said = {s.id: s for s in _said(conn, q.said_rows(conn, _SAID_TYPES, ids=set(firsts.values())), linked)} \
        if firsts else {}
    return sorted(restated, key=lambda s: s.id), {r: said[f] for r, f in firsts.items() if f in said}


def _stored_raw_links(conn: Connection) -> list[crossdisputes.Link]:
    """The stored links across articles as ``best_claim`` made them, before a link to a
    restated claim was sent on to the claim first printed."""
    out = []
    for r in q.corpus_disputes(conn):
        evidence = json.loads(r.evidence) if r.evidence else {}
        claim = evidence.pop("restated_in", r.claim_id)
        evidence.pop("via_denial", None)
        out.append(crossdisputes.Link(claim, r.denial_id, r.score, evidence))
    return out


def _candidates(conn: Connection, d: crossdisputes.Said) -> list[crossdisputes.Said]:
    """The claims sharing two words or more with a denial, printed in its window or undated."""
    day = crossdisputes.day_of(d.published)
    ids = q.sharing(conn, d.words, claim=True, at_least=2,
                    lo=None if day is None else day - crossdisputes.WINDOW_DAYS, hi=day)
    return _said(conn, q.said_rows(conn, crossdisputes.CLAIM_TYPES, ids=ids), set()) if ids else []


def _weights(conn: Connection, d: crossdisputes.Said) -> dict[str, float]:
    """The weight of each of a denial's words in its window, read from the index."""
    day = crossdisputes.day_of(d.published)
    lo, hi = (None, None) if day is None else (day - crossdisputes.WINDOW_DAYS, day)
    n = q.said_in_window(conn, lo, hi)
    counts = q.word_counts(conn, d.words, lo, hi)
    return {w: crossdisputes.weight(n, counts.get(w, 0)) for w in d.words}
