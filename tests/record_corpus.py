"""A week of short stories from several outlets about one harbour town, written for the
record-across-articles tests: two people who share a surname, spellings of one name, a
quotation printed four ways, two quotes that share a phrase, a denial in another paper, a
denial of something else by the same speaker, and a wire copy that is a duplicate."""

from datetime import date

from onrecord.corpus import Ingestor, open_corpus
from onrecord.ingest import Loaded
from onrecord.model import ArticleInput

SUNDAY = """Mayor attacks government over harbour

PORTHAVEN, June 1 - Mayor Marco Ruiz accused the national government of neglect on Sunday.

Ruiz said the police had abandoned the harbour district for months.
"""

MONDAY = """Harbour minister vows to rebuild piers

PORTHAVEN, June 2 - Interior Minister Elena Ruiz promised on Monday to rebuild the storm-hit harbour.

"We will rebuild every pier of this harbour before the winter storms arrive," Ruiz told reporters at the quay.

Dock workers' leader Nadia Okafor said her members would return to work once the cranes were safe.
"""

TUESDAY = """Minister repeats harbour pledge

PORTHAVEN, June 3 - The interior minister repeated her pledge to the town on Tuesday.

"We will rebuild every pier of this harbour before the winter storms arrive," Interior Minister Ruiz said during a visit to the fish market.

Ukrainian President Volodymyr Zelenskiy, who visited the port last year, said his country would send engineers to help.
"""

WEDNESDAY = """Minister rejects mayor's claim on policing

PORTHAVEN, June 4 - Interior Minister Elena Ruiz on Wednesday rejected the mayor's accusation that the police had abandoned the harbour district to smugglers.

"We will rebuild every dock of this harbour before the storms arrive," Elena Ruiz said at a press conference.

"Every family in this town will have heating before the winter storms arrive," she said.
"""

THURSDAY = """Zelensky pledges engineers for Porthaven

KYIV, June 5 - President Volodymyr Zelensky said on Thursday that Ukrainian engineers would reach Porthaven within a month.

Okafor said the dock workers welcomed the help and would train alongside the engineers.

Elena Ruiz said on local radio that she would "rebuild every pier of this harbour".
"""

FRIDAY = """Schools budget row

PORTHAVEN, June 6 - Interior Minister Elena Ruiz on Friday denied that the budget for the town's schools had been cut.

Teacher Paul Grant said classes had grown larger since the spring.
"""

#: A third paper, after the week: the police chief denies the mayor's claim in the words
#: Wednesday's story gave it ("to smugglers"), not in the mayor's own words of Sunday.
SATURDAY = """Police chief answers mayor

PORTHAVEN, June 7 - Police Chief Ana Costa rejected the mayor's claim that the police had abandoned the harbour district to smugglers.

Costa said patrols in the district had doubled since May.
"""

#: A wire service's copy of Monday's story, carried by another outlet: a duplicate, not a
#: second appearance of its quotation.
MONDAY_WIRE = MONDAY.replace("Harbour minister vows to rebuild piers", "Minister vows to rebuild Porthaven piers")

WEEK = [
    {"doc_id": "sun", "text": SUNDAY, "published": "2025-06-01", "site": "porthavenpost.example"},
    {"doc_id": "mon", "text": MONDAY, "published": "2025-06-02", "site": "harbourtimes.example"},
    {"doc_id": "mon-wire", "text": MONDAY_WIRE, "published": "2025-06-02", "site": "wire.example"},
    {"doc_id": "tue", "text": TUESDAY, "published": "2025-06-03", "site": "coastdaily.example"},
    {"doc_id": "wed", "text": WEDNESDAY, "published": "2025-06-04", "site": "northernpost.example"},
    {"doc_id": "thu", "text": THURSDAY, "published": "2025-06-05", "site": "kyivwire.example"},
    {"doc_id": "fri", "text": FRIDAY, "published": "2025-06-06", "site": "harbourtimes.example"},
]


def ingest_week(db) -> None:
    """Ingest the week into the corpus ``db`` (a file or a URL), linked across articles."""
    engine = open_corpus(str(db))
    items = (Loaded(story["doc_id"], ArticleInput(story["text"], date.fromisoformat(story["published"]),
                                                  site=story["site"]), sha256=story["doc_id"])
             for story in WEEK)
    Ingestor(engine).ingest_loaded(items)
    engine.dispose()
