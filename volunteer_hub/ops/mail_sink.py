"""Development only: a local SMTP server (aiosmtpd on 127.0.0.1) that keeps every message it
receives as an ``.eml`` file in ``instance/mail/``, and reads them back for the page at
``/dev/mail`` (``ops/mail_views.py``). ``make run`` starts it beside the outbox worker
(``ops/devserver.py``), so e-mail sent in development arrives somewhere a developer can read it.

Run alone: ``python -m volunteer_hub.ops.mail_sink --port 1025 --dir instance/mail``.
Production never uses it: it sends through a real SMTP server (README, deploy/).
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import threading
import uuid
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

MAX_LISTED = 100


class EmlWriter:
    """aiosmtpd handler: each message accepted becomes one file, named so they sort by arrival."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        path = self.directory / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
        partial = path.with_suffix(".part")
        partial.write_bytes(envelope.content)
        partial.rename(path)  # a reader never sees half a message
        return "250 OK"


def start_sink(directory: Path, host: str = "127.0.0.1", port: int = 1025) -> Any:
    """Start the sink in a background thread; returns the aiosmtpd controller (``.stop()`` it)."""
    from aiosmtpd.controller import Controller  # a development dependency (requirements-dev.txt)

    controller = Controller(EmlWriter(directory), hostname=host, port=port)
    controller.start()
    return controller


@dataclass(frozen=True)
class SunkMessage:
    name: str
    received: str
    sender: str
    recipient: str
    subject: str
    body: str


def _read(path: Path) -> SunkMessage:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    part = message.get_body(preferencelist=("plain",))
    body = part.get_content() if part is not None else ""
    return SunkMessage(
        name=path.name,
        received=path.name[:15],
        sender=str(message.get("From", "")),
        recipient=str(message.get("To", "")),
        subject=str(message.get("Subject", "")),
        body=body,
    )


def list_messages(directory: Path, limit: int = MAX_LISTED) -> list[SunkMessage]:
    """The newest messages first."""
    if not directory.is_dir():
        return []
    paths = sorted(directory.glob("*.eml"), reverse=True)[:limit]
    return [_read(path) for path in paths]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Keep e-mail sent in development as .eml files.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--dir", default="instance/mail", type=Path)
    args = parser.parse_args(argv)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    controller = start_sink(args.dir, args.host, args.port)
    print(f"Mail sink: smtp://{args.host}:{args.port}, messages in {args.dir}/", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
