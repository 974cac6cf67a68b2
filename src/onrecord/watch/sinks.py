"""Where alerts go: a JSONL file, a webhook, e-mail through an SMTP server.

Sinks are ``[[sink]]`` tables of the rules file::

    [[sink]]
    kind = "jsonl"
    path = "alerts.jsonl"

    [[sink]]
    kind = "webhook"
    url = "https://hooks.example.org/onrecord"
    secret_env = "ONRECORD_WEBHOOK_SECRET"   # or secret = "..."; signs each body

    [[sink]]
    kind = "smtp"
    host = "smtp.example.org"
    port = 587
    starttls = true
    username = "alerts@example.org"          # optional
    password_env = "ONRECORD_SMTP_PASSWORD"
    cafile = "/etc/ssl/private-ca.pem"       # optional: a private CA that signed the server's certificate
    from = "alerts@example.org"
    to = ["desk@example.org"]

A webhook's body is the alert as JSON; its ``X-Onrecord-Signature`` header is
``sha256=`` and the HMAC-SHA256 of the body under the shared secret, so the receiver can
check that the alert is onrecord's. A sink that fails raises ``SinkError``; the watch counts
it and goes on.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import smtplib
import ssl
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from .fetch import USER_AGENT

#: The header that carries a webhook body's signature.
SIGNATURE_HEADER = "X-Onrecord-Signature"


class SinkError(RuntimeError):
    """An alert could not be delivered to a sink."""


class SinksConfigError(ValueError):
    """A ``[[sink]]`` table that cannot be used as it is; the message says how to fix it."""


class Sink(Protocol):
    """Something that takes alerts (each a JSON-ready dict) and delivers them."""

    name: str

    def send(self, alert: dict[str, Any]) -> None:
        """Deliver one alert, or raise ``SinkError``."""


def alert_json(alert: dict[str, Any]) -> bytes:
    """An alert as the bytes every sink sends: JSON, keys sorted, UTF-8."""
    return json.dumps(alert, ensure_ascii=False, sort_keys=True).encode("utf-8")


def sign(body: bytes, secret: str) -> str:
    """The signature header's value of a body: ``sha256=`` and its HMAC-SHA256 in hex."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


class JsonlSink:
    """Appends each alert to a file as one JSON line."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.name = f"jsonl:{self.path}"

    def send(self, alert: dict[str, Any]) -> None:
        """Append the alert as a line (the file and its folder are made if missing)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("ab") as fh:
                fh.write(alert_json(alert) + b"\n")
        except OSError as exc:
            raise SinkError(f"cannot write {self.path}: {exc.strerror or exc}") from exc


class WebhookSink:
    """POSTs each alert as JSON, signed, retried with growing pauses."""

    def __init__(self, url: str, secret: str | None = None, *, timeout: float = 10.0, retries: int = 2,
                 backoff: float = 1.0):
        self.url, self.secret, self.timeout, self.retries, self.backoff = url, secret, timeout, retries, backoff
        self.name = f"webhook:{url}"

    def send(self, alert: dict[str, Any]) -> None:
        """POST the alert; a 2xx answer is delivery, anything else after the retries fails."""
        import httpx

        body = alert_json(alert)
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, "X-Onrecord-Event": "alert"}
        if self.secret:
            headers[SIGNATURE_HEADER] = sign(body, self.secret)
        problem = ""
        for attempt in range(self.retries + 1):
            try:
                with httpx.Client(timeout=self.timeout, trust_env=False, follow_redirects=False) as client:
                    answer = client.post(self.url, content=body, headers=headers)
                if 200 <= answer.status_code < 300:
                    return
                problem = f"HTTP {answer.status_code}"
                if answer.status_code < 500 and answer.status_code != 429:
                    break  # the receiver refuses it: asking again will not help
            except httpx.HTTPError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            if attempt < self.retries:
                time.sleep(self.backoff * 2 ** attempt)
        raise SinkError(f"POST {self.url} failed: {problem}")


class SmtpSink:
    """Sends each alert as an e-mail through an SMTP server (STARTTLS where asked)."""

    def __init__(self, host: str, port: int, sender: str, to: list[str], *, starttls: bool = False,
                 username: str | None = None, password: str | None = None, timeout: float = 20.0,
                 cafile: str | None = None):
        self.host, self.port, self.sender, self.to = host, port, sender, to
        self.cafile = cafile  # a private CA's certificate, for a server whose certificate it signed
        self.starttls, self.username, self.password, self.timeout = starttls, username, password, timeout
        self.name = f"smtp:{host}:{port}"

    def message(self, alert: dict[str, Any]) -> EmailMessage:
        """The e-mail of one alert: what was said, by whom, where, and why it is an alert."""
        statement, article = alert.get("statement", {}), alert.get("article", {})
        speaker = statement.get("identity") or statement.get("speaker") or "someone"
        said = " ".join((statement.get("content") or "").split())
        msg = EmailMessage()
        msg["Subject"] = f"[onrecord] {alert.get('rule')}: {speaker} ({statement.get('type')}): {_short(said)}"
        msg["From"] = self.sender
        msg["To"] = ", ".join(self.to)
        msg["X-Onrecord-Rule"] = str(alert.get("rule"))
        lines = [f"{speaker} ({statement.get('type')}, {statement.get('kind')}):", "", f"  {said}", "",
                 f"Article: {article.get('title') or '(untitled)'}", f"  {article.get('url') or ''}",
                 f"Published: {article.get('published') or 'unknown'}", "",
                 f"Rule: {alert.get('rule')}", f"Why: {alert.get('why')}", "",
                 f"Statement {statement.get('id')} of article {article.get('id')}: "
                 f"onrecord show --statement {statement.get('id')}"]
        msg.set_content("\n".join(lines))
        return msg

    def send(self, alert: dict[str, Any]) -> None:
        """Send the alert's e-mail; any SMTP or network failure is a ``SinkError``."""
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context(cafile=self.cafile))
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(self.message(alert))
        except (smtplib.SMTPException, OSError) as exc:
            raise SinkError(f"SMTP {self.host}:{self.port}: {type(exc).__name__}: {exc}") from exc


def _short(text: str, limit: int = 60) -> str:
    """The start of a text for a subject line, cut at a word with an ellipsis when long."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _secret(entry: dict[str, Any], key: str, where: str) -> str | None:
    """A secret given in the file, or (better) named by the environment variable holding it."""
    if entry.get(f"{key}_env"):
        value = os.environ.get(entry[f"{key}_env"])
        if value is None:
            raise SinksConfigError(f"{where}: the environment variable {entry[f'{key}_env']} is not set")
        return value
    value = entry.get(key)
    return str(value) if value is not None else None


def make_sink(entry: dict[str, Any], where: str = "sink", base: Path | None = None) -> Sink:
    """One sink from its ``[[sink]]`` table (a relative JSONL path is read from ``base``)."""
    kind = entry.get("kind")
    if kind == "jsonl":
        path = entry.get("path")
        if not isinstance(path, str) or not path:
            raise SinksConfigError(f"{where}: a jsonl sink needs path = \"alerts.jsonl\"")
        return JsonlSink(base / path if base and not Path(path).is_absolute() else path)
    if kind == "webhook":
        url = entry.get("url")
        if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
            raise SinksConfigError(f"{where}: a webhook sink needs url = \"https://...\"")
        return WebhookSink(url, _secret(entry, "secret", where), timeout=float(entry.get("timeout", 10)),
                           retries=int(entry.get("retries", 2)), backoff=float(entry.get("backoff", 1.0)))
    if kind == "smtp":
        to = entry.get("to")
        to = [to] if isinstance(to, str) else to
        if not entry.get("host") or not entry.get("from") or not to:
            raise SinksConfigError(f"{where}: an smtp sink needs host, from and to (e.g. to = [\"desk@example.org\"])")
        starttls = bool(entry.get("starttls", False))
        return SmtpSink(str(entry["host"]), int(entry.get("port", 587 if starttls else 25)), str(entry["from"]),
                        [str(t) for t in to], starttls=starttls, username=entry.get("username"),
                        password=_secret(entry, "password", where), timeout=float(entry.get("timeout", 20)),
                        cafile=entry.get("cafile"))
    raise SinksConfigError(f"{where}: kind {kind!r} is none of jsonl, webhook, smtp")


def load_sinks(entries: list[dict[str, Any]], base: Path | None = None) -> list[Sink]:
    """The sinks of a rules file's ``[[sink]]`` tables."""
    return [make_sink(entry, f"sink {n}", base) for n, entry in enumerate(entries, 1)]
