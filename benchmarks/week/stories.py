"""A week of short stories from several outlets about one country's budget row, written for
measuring the record across stories by meaning (issue 21): a claim printed by several papers
and denied in other words in another, a quotation printed under a surname only with a
namesake in the sports pages, a wire story and the paper that carried it, a denial of
something else by the same speaker, a same-topic statement that is not the claim.

Written for onrecord; not copied from anywhere. ``write_jsonl`` writes them as ingest reads them.
"""

from __future__ import annotations

import json
from pathlib import Path

WIRE_MON = """Opposition accuses finance minister of hiding deficit

ALDEN, March 2 (Reuters) - Opposition leader Tomas Brandt accused Finance Minister Lena Vogt on Monday of concealing the real deficit figures from parliament.

"The minister is concealing the real figures from parliament, and every week she waits the hole gets deeper," Brandt told reporters outside the assembly.

Vogt's office did not immediately respond to a request for comment.
"""

LEDGER_MON = """Brandt steps up attack on Vogt

By Hanna Reis

ALDEN - The leader of the opposition, Tomas Brandt, has accused the finance minister of keeping parliament in the dark about the state of the public accounts.

"The minister is concealing the real figures from parliament, and every week she waits the hole gets deeper," Brandt said on Monday, according to Reuters.

Brandt's party trails the governing coalition by four points in recent polls.
"""

COURIER_TUE = """Vogt promises no new taxes on food

ALDEN, March 3 - Finance Minister Lena Vogt promised on Tuesday that food would not be taxed more heavily this year.

"We will not raise a single tax on bread, milk or vegetables while I hold this office," Vogt told a meeting of grocers in Kessel.

She said the budget would be presented to parliament in April.
"""

GAZETTE_WED = """Finance minister rejects opposition charge

ALDEN, March 4 - Finance Minister Lena Vogt on Wednesday rejected Tomas Brandt's accusation that she had concealed the figures.

"Every number this ministry holds has been published on our website," Vogt said in a statement.

Vogt also denied reports that she planned to resign before the budget vote.
"""

HERALD_WED = """Port chief says Kessel harbour will reopen by May

KESSEL, March 4 - The head of the Kessel port authority, Otto Lenz, said on Wednesday that the harbour would reopen to container ships by May.

"The dredging is ahead of schedule and the cranes will be back by the end of April," Lenz told the Kessel Herald.

Lenz said the closure had cost shippers millions.
"""

TIMES_THU = """Vogt repeats tax pledge to farmers

LINDAU, March 5 - Speaking to farmers in Lindau, Vogt repeated the pledge.

"We will not raise a single tax on bread, milk or vegetables while I hold this office," Vogt said.

Farmers' union chairman Piet Albers said the promise was welcome but vague.
"""

SPORTS_THU = """Lindau coach wants more from his forwards

LINDAU, March 5 - FC Lindau coach Karl Vogt said on Thursday his forwards must take their chances against Rotberg on Saturday.

"We created enough to win three games last week and scored once," Vogt said.

Vogt said captain Mats Hell would return from injury.
"""

POST_FRI = """Union disputes port reopening date

KESSEL, March 6 - The dockworkers' union on Friday disputed the port authority's claim that the harbour would reopen to container ships by May.

"Nobody who has seen the north quay believes ships will dock there before the summer," union secretary Ada Ferris said.

Ferris said half of the cranes were still under repair.
"""

MERCURY_SAT = """Grocers sceptical of minister's food pledge

KESSEL, March 7 - Grocers in Kessel said on Saturday they doubted the finance minister's promise on food taxes.

Shop owner Dirk Maas said prices had risen every month since the autumn.

Lenz, the port chief, said the harbour would handle its first container ship in May.
"""

CHRONICLE_FRI = """Ministry dismisses 'concealment' charge

ALDEN, March 6 - A spokeswoman for the finance ministry, Clara Weiss, on Friday dismissed Brandt's claim that the minister was "concealing the real figures from parliament".

Weiss said the ministry would publish a quarterly report in April.
"""

WEEK = [
    {"doc_id": "wire-mon", "text": WIRE_MON, "published": "2026-03-02", "site": "meridian.example"},
    {"doc_id": "ledger-mon", "text": LEDGER_MON, "published": "2026-03-02", "site": "dailyledger.example"},
    {"doc_id": "courier-tue", "text": COURIER_TUE, "published": "2026-03-03", "site": "aldencourier.example"},
    {"doc_id": "gazette-wed", "text": GAZETTE_WED, "published": "2026-03-04", "site": "aldengazette.example"},
    {"doc_id": "herald-wed", "text": HERALD_WED, "published": "2026-03-04", "site": "kesselherald.example"},
    {"doc_id": "times-thu", "text": TIMES_THU, "published": "2026-03-05", "site": "lindautimes.example"},
    {"doc_id": "sports-thu", "text": SPORTS_THU, "published": "2026-03-05", "site": "lindautimes.example"},
    {"doc_id": "post-fri", "text": POST_FRI, "published": "2026-03-06", "site": "kesselpost.example"},
    {"doc_id": "chronicle-fri", "text": CHRONICLE_FRI, "published": "2026-03-06", "site": "aldenchronicle.example"},
    {"doc_id": "mercury-sat", "text": MERCURY_SAT, "published": "2026-03-07", "site": "kesselmercury.example"},
]


def write_jsonl(path: Path) -> Path:
    """The week as one JSONL file, one story a line, as ``onrecord ingest`` reads it."""
    path.write_text("".join(json.dumps(story) + "\n" for story in WEEK), encoding="utf-8")
    return path
