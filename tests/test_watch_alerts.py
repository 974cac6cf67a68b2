"""Alerts: rules checked against each new statement (speaker with aliases, type, words,
followed statements), delivered to a JSONL file, a signed webhook and an SMTP server
(aiosmtpd, STARTTLS), never twice; a failing sink is counted and the watch goes on."""

from __future__ import annotations

import email
import email.policy
import json
import shutil
import socket
import ssl
import subprocess

import pytest

from onrecord.corpus import open_corpus
from onrecord.watch import JsonlSink, RulesError, SmtpSink, Source, WebhookSink, parse_rules
from onrecord.watch.loop import Watch, WatchSettings
from onrecord.watch.rules import Rule
from onrecord.watch.sinks import SIGNATURE_HEADER, SinksConfigError, load_sinks, sign
from onrecord.watch.state import status

from test_watch import FAST, rows
from record_corpus import MONDAY, SUNDAY, TUESDAY, WEDNESDAY
from watch_server import PUTIN_DENIES, ZELENSKY_ACCUSES, page, rss

RULES = """
[[rule]]
name = "putin"
speaker = "Putin"

[[rule]]
name = "denials"
types = ["denial", "accusation"]

[[rule]]
name = "ceasefire"
words = ["ceasefire"]

[[rule]]
name = "zelensky-attack"
speaker = "Volodymyr Zelensky"
query = "time attack"
"""

#: (rule, identity, type, content, why) of every alert the two stories fire, in order.
EXPECTED = [
    ("putin", "Vladimir Putin", "denial", "Russian troops had attacked civilians in the Kursk region",
     "speaker Vladimir Putin matches 'Putin'"),
    ("denials", "Vladimir Putin", "denial", "Russian troops had attacked civilians in the Kursk region",
     "type denial"),
    ("putin", "Vladimir Putin", "assertion", "Our soldiers did not fire on anyone",
     "speaker Vladimir Putin matches 'Putin'"),
    ("ceasefire", "Volodymyr Zelensky", "assertion", "the ceasefire proposal was a trap", "words: ceasefire"),
    ("denials", "Volodymyr Zelensky", "accusation", "Moscow of stalling the ceasefire talks", "type accusation"),
    ("ceasefire", "Volodymyr Zelensky", "accusation", "Moscow of stalling the ceasefire talks", "words: ceasefire"),
    ("zelensky-attack", "Volodymyr Zelensky", "assertion", "They want more time to attack",
     "speaker Volodymyr Zelensky matches 'Volodymyr Zelensky'; every word of 'time attack'"),
]
SECRET = "s3cret-shared"


def news(site) -> Source:
    site.put("/feed.xml", rss(site.base, [("/a1", "a", "Fri, 14 Mar 2025 10:00:00 GMT"),
                                          ("/a2", "b", "Sat, 15 Mar 2025 10:00:00 GMT")]),
             content_type="application/rss+xml")
    site.put("/a1", PUTIN_DENIES)
    site.put("/a2", ZELENSKY_ACCUSES)
    return Source(site.url("/feed.xml"))


def shown(alert: dict) -> tuple:
    s = alert["statement"]
    return alert["rule"], s["identity"], s["type"], s["content"], alert["why"]


def test_watch_alerts_go_to_jsonl_and_a_signed_webhook_once(site, db_url, extractor, tmp_path):
    out = tmp_path / "alerts" / "alerts.jsonl"
    sinks = [JsonlSink(out), WebhookSink(site.url("/hook"), SECRET, retries=0)]
    watch = Watch(open_corpus(db_url, writer=True), [news(site)], parse_rules(RULES), sinks, extractor=extractor,
                  settings=WatchSettings(fetch=FAST))
    report = watch.run_once()
    assert (report.alerts, report.delivered, report.sink_failures) == (7, 14, 0)
    lines = out.read_bytes().splitlines()
    alerts = [json.loads(line) for line in lines]
    assert [shown(a) for a in alerts] == EXPECTED
    first = alerts[0]
    assert first["article"] == {"id": 1, "title": "Putin denies Kursk attacks", "url": site.url("/a1"),
                                "site": "Local News", "published": "2025-03-14"}
    assert first["found_at"] == {"item": site.url("/a1"), "source": site.url("/feed.xml")}
    assert first["statement"]["speaker"] == "Vladimir Putin" and first["statement"]["cue"] == "denied"
    assert first["id"] == 1 and first["created_at"]
    # the webhook got the same bytes, each signed with the shared secret
    posts = [(path, headers, body) for path, headers, body in site.posts]
    assert [body for _, _, body in posts] == lines
    for path, headers, body in posts:
        assert path == "/hook" and headers["content-type"] == "application/json"
        assert headers[SIGNATURE_HEADER.lower()] == sign(body, SECRET)
    assert rows(watch.engine, "SELECT rule, why FROM watch_alerts ORDER BY id") == [(a[0], a[4]) for a in EXPECTED]

    # a restarted watch sends nothing twice
    again = Watch(open_corpus(db_url, writer=True), [news(site)], parse_rules(RULES), sinks, extractor=extractor,
                  settings=WatchSettings(fetch=FAST)).run_once()
    assert (again.alerts, again.delivered) == (0, 0)
    assert out.read_bytes().splitlines() == lines and len(site.posts) == 7
    sinks_state = {s["name"]: s for s in status(watch.engine)["sinks"]}
    assert {k: (v["delivered"], v["failed"]) for k, v in sinks_state.items()} == {
        f"jsonl:{out}": (7, 0), f"webhook:{site.url('/hook')}": (7, 0)}


def test_watch_failing_sinks_are_counted_and_the_watch_goes_on(site, db_url, extractor, tmp_path):
    site.post_status["/hook"] = 500
    folder = tmp_path / "a-folder"
    folder.mkdir()
    good = tmp_path / "ok.jsonl"
    sinks = [WebhookSink(site.url("/hook"), SECRET, retries=1, backoff=0), JsonlSink(folder), JsonlSink(good)]
    watch = Watch(open_corpus(db_url, writer=True), [news(site)], parse_rules(RULES), sinks, extractor=extractor,
                  settings=WatchSettings(fetch=FAST))
    report = watch.run_once()
    assert (report.new, report.alerts, report.delivered, report.sink_failures) == (2, 7, 7, 14)
    assert len(site.posts) == 14  # each alert tried twice
    assert len(good.read_text().splitlines()) == 7
    state = {s["name"]: s for s in status(watch.engine)["sinks"]}
    hook = state[f"webhook:{site.url('/hook')}"]
    assert (hook["delivered"], hook["failed"], hook["last_error"]) == (0, 7, f"POST {site.url('/hook')} failed: HTTP 500")
    assert state[f"jsonl:{folder}"]["failed"] == 7 and "cannot write" in state[f"jsonl:{folder}"]["last_error"]
    assert status(watch.engine)["alerts"] == {"total": 7, "undelivered": 0}


class Broken:
    name = "broken"

    def send(self, alert):
        raise ZeroDivisionError("a bug in a sink")


def test_watch_a_sink_that_raises_anything_is_counted(site, db_url, extractor):
    watch = Watch(open_corpus(db_url, writer=True), [news(site)], parse_rules(RULES), [Broken()],
                  extractor=extractor, settings=WatchSettings(fetch=FAST))
    report = watch.run_once()
    assert (report.alerts, report.sink_failures) == (7, 7)
    assert status(watch.engine)["sinks"][0]["last_error"] == "ZeroDivisionError: a bug in a sink"


def _day_page(text: str, day: int) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return page(lines[0], lines[1:], published=f"2025-06-0{day}")


def test_watch_followed_statements_alert_on_denial_printing_and_altered_printing(site, db_url, extractor, tmp_path):
    # the harbour week (tests/record_corpus.py): Sunday's claim is denied in Wednesday's paper;
    # Monday's quotation is printed again on Tuesday, and with other words on Wednesday
    for path, text, day in (("/sun", SUNDAY, 1), ("/mon", MONDAY, 2), ("/tue", TUESDAY, 3), ("/wed", WEDNESDAY, 4)):
        site.put(path, _day_page(text, day))
    site.put("/feed.xml", rss(site.base, [("/sun", "a", "Sun, 01 Jun 2025 10:00:00 GMT"),
                                          ("/mon", "b", "Mon, 02 Jun 2025 10:00:00 GMT")]))
    out = tmp_path / "alerts.jsonl"
    watch = Watch(open_corpus(db_url, writer=True), [Source(site.url("/feed.xml"))], None, [JsonlSink(out)],
                  extractor=extractor, settings=WatchSettings(fetch=FAST))
    watch.run_once()
    [(claim,)] = rows(watch.engine, "SELECT id FROM statements WHERE content LIKE '%%police had abandoned%%'")
    [(quote,)] = rows(watch.engine, "SELECT id FROM statements WHERE content LIKE 'We will rebuild every pier%%'")
    watch.rules = parse_rules(f'[[rule]]\nname = "claim"\nfollow = [{claim}]\non = ["denial"]\n\n'
                              f'[[rule]]\nname = "quote"\nfollow = [{quote}]\non = ["printing", "altered"]\n')
    site.put("/feed.xml", rss(site.base, [("/tue", "c", "Tue, 03 Jun 2025 10:00:00 GMT"),
                                          ("/wed", "d", "Wed, 04 Jun 2025 10:00:00 GMT")]))
    assert watch.run_once().alerts == 3
    alerts = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(a["rule"], a["statement"]["content"], a["why"], a["article"]["title"]) for a in alerts] == [
        ("quote", "We will rebuild every pier of this harbour before the winter storms arrive",
         f"new printing (exact) of followed statement {quote}", "Minister repeats harbour pledge"),
        ("claim", "the mayor's accusation that the police had abandoned the harbour district to smugglers",
         f"denies followed statement {claim}", "Minister rejects mayor's claim on policing"),
        ("quote", "We will rebuild every dock of this harbour before the storms arrive",
         f"altered printing of followed statement {quote} (pier -> dock, -winter)",
         "Minister rejects mayor's claim on policing"),
    ]


# -- the SMTP sink, against a real SMTP server (aiosmtpd) on 127.0.0.1 -----------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1, made with the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a certificate for the STARTTLS test")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return key, cert


class Inbox:
    """What the local SMTP server received."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content.decode("utf-8"),
                              session.authenticated))
        return "250 OK"


@pytest.fixture
def smtp_server(certificate):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    key, cert = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (b"desk", b"pw")
        return AuthResult(success=ok)

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), tls_context=context,
                            require_starttls=True, authenticator=authenticator, auth_require_tls=True)
    controller.start()
    yield controller, inbox, str(cert)
    controller.stop()


def test_watch_smtp_sink_sends_each_alert_over_starttls(site, tmp_path, extractor, smtp_server):
    controller, inbox, cafile = smtp_server
    sink = SmtpSink("127.0.0.1", controller.port, "watch@example.org", ["desk@example.org"], starttls=True,
                    username="desk", password="pw", cafile=cafile, timeout=5)
    watch = Watch(open_corpus(str(tmp_path / "c.db"), writer=True), [news(site)],
                  parse_rules(RULES.split("[[rule]]\nname = \"denials\"")[0]), [sink], extractor=extractor,
                  settings=WatchSettings(fetch=FAST))
    report = watch.run_once()
    assert (report.alerts, report.delivered, report.sink_failures) == (2, 2, 0)
    assert [(m[0], m[1], m[3]) for m in inbox.messages] == [("watch@example.org", ["desk@example.org"], True)] * 2
    mail = email.message_from_string(inbox.messages[0][2], policy=email.policy.default)
    assert mail["Subject"] == "[onrecord] putin: Vladimir Putin (denial): Russian troops had attacked civilians in the Kursk region"
    assert mail["X-Onrecord-Rule"] == "putin"
    text = mail.get_content().replace("\r\n", "\n")
    assert text.startswith("Vladimir Putin (denial, indirect):\n\n  Russian troops had attacked civilians")
    assert "Why: speaker Vladimir Putin matches 'Putin'" in text
    assert f"  {site.url('/a1')}" in text
    assert "onrecord show --statement 1" in text


def test_watch_smtp_sink_failure_is_counted(site, tmp_path, extractor, smtp_server):
    controller, inbox, cafile = smtp_server
    # no server at that port; a server that wants STARTTLS first, asked without it
    nobody = SmtpSink("127.0.0.1", _free_port(), "watch@example.org", ["desk@example.org"], timeout=5)
    plain = SmtpSink("127.0.0.1", controller.port, "watch@example.org", ["desk@example.org"], timeout=5)
    watch = Watch(open_corpus(str(tmp_path / "c.db"), writer=True), [news(site)],
                  parse_rules('[[rule]]\nname = "putin"\nspeaker = "Putin"\n'), [nobody, plain], extractor=extractor,
                  settings=WatchSettings(fetch=FAST))
    report = watch.run_once()
    assert (report.alerts, report.sink_failures, inbox.messages) == (2, 4, [])
    errors = {s["name"]: s["last_error"] for s in status(watch.engine)["sinks"]}
    assert "ConnectionRefusedError" in errors[nobody.name] and "SMTPSenderRefused" in errors[plain.name]


# -- the rules and sinks files ----------------------------------------------------------------

def test_rules_speaker_matches_identity_and_aliases_as_whole_words():
    rule = Rule("r", speakers=("Putin", "Russia's leader"))
    said = {"statement_id": 1, "speaker": "President Putin", "identity": "Vladimir Putin",
            "aliases": ["Russia's leader", "Mr. Putin"], "type": "assertion", "content": "x"}
    assert rule.check(said) == "speaker Vladimir Putin matches 'Putin'"
    assert Rule("r", speakers=("russia's leader",)).check(said) == \
        "speaker Vladimir Putin (as \"Russia's leader\") matches \"russia's leader\""
    assert Rule("r", speakers=("Putinism",)).check(said) is None
    assert Rule("r", speakers=("Putin",)).check({**said, "identity": "Putin's spokesman", "speaker": "x",
                                                 "aliases": []}) is None
    # every condition must hold
    assert Rule("r", speakers=("Putin",), types=("denial",)).check(said) is None
    assert Rule("r", words=("fire",)).check({**said, "content": "Our soldiers did not fire on anyone"}) == "words: fire"
    assert Rule("r", words=("ceasefire", "not fire")).check({**said, "content": "did not fire"}) == "words: not fire"


def test_rules_factchecked_fires_on_a_reviewed_claim_with_the_checkers_verdict():
    rule = parse_rules('[[rule]]\nname = "checked"\nfactchecked = true\nspeaker = "Brandt"\n').rules[0]
    said = {"statement_id": 5, "speaker": "Tomas Brandt", "identity": "Tomas Brandt", "aliases": [],
            "type": "assertion", "content": "The minister is concealing the real figures"}
    check = {"checker": "Alden Checks", "verdict": "Misleading", "url": "https://aldenchecks.example/1"}
    assert rule.check(said, {"factchecks": [check]}) == (
        "speaker Tomas Brandt matches 'Brandt'; makes a reviewed claim: Alden Checks rated it 'Misleading' "
        "(https://aldenchecks.example/1)")
    assert rule.check(said, {"factchecks": []}) is None


@pytest.mark.parametrize("text, message", [
    ("[[rule]\nname=", "not valid TOML"),
    ("[[rule]]\nname = \"a\"\nfactchecked = \"yes\"\n", "factchecked must be true or false"),
    ("[[rule]]\nname = \"a\"\nspeeker = \"x\"\n", "unknown key(s) speeker"),
    ("[[rule]]\nname = \"a\"\ntypes = [\"denail\"]\n", "unknown statement type(s) denail"),
    ("[[rule]]\nname = \"a\"\n", "would fire on every statement"),
    ("[[rule]]\nspeaker = \"x\"\n", "every rule needs a name"),
    ("[[rule]]\nname = \"a\"\nwords = [\"x\"]\n[[rule]]\nname = \"a\"\nwords = [\"y\"]\n", "used twice"),
    ("[[rule]]\nname = \"a\"\nfollow = [\"12\"]\n", "follow must be statement ids"),
    ("[[rule]]\nname = \"a\"\nfollow = [1]\non = [\"retweet\"]\n", "on must be among"),
    ("[rules]\n", "unknown table(s) rules"),
])
def test_rules_file_mistakes_say_how_to_fix_them(text, message):
    with pytest.raises(RulesError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_rules(text)


def test_sinks_from_the_rules_file(tmp_path, monkeypatch):
    monkeypatch.setenv("HOOK_SECRET", "from-env")
    rules = parse_rules('[[sink]]\nkind = "jsonl"\npath = "out/a.jsonl"\n'
                        '[[sink]]\nkind = "webhook"\nurl = "https://h.example/x"\nsecret_env = "HOOK_SECRET"\n'
                        '[[sink]]\nkind = "smtp"\nhost = "mail.example"\nstarttls = true\nfrom = "a@example.org"\n'
                        'to = "b@example.org"\n')
    jsonl, hook, smtp = load_sinks(rules.sinks, tmp_path)
    assert jsonl.path == tmp_path / "out" / "a.jsonl"
    assert (hook.url, hook.secret) == ("https://h.example/x", "from-env")
    assert (smtp.host, smtp.port, smtp.starttls, smtp.to) == ("mail.example", 587, True, ["b@example.org"])
    with pytest.raises(SinksConfigError, match="NOPE is not set"):
        load_sinks([{"kind": "webhook", "url": "https://h.example", "secret_env": "NOPE"}])
    with pytest.raises(SinksConfigError, match="none of jsonl, webhook, smtp"):
        load_sinks([{"kind": "slack"}])
