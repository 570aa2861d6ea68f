"""``make run``'s server: the development server, with the outbox worker and the local mail sink
beside it as background processes that stop when the server stops (Ctrl-C stops all three).

``python -m volunteer_hub.ops.devserver`` (``make serve``). E-mail goes to the sink on
127.0.0.1:1025 (``DEV_MAIL_PORT``) and is kept in ``instance/mail/`` as ``.eml``; an
administrator reads it at http://127.0.0.1:5000/dev/mail (the server's port is ``DEV_PORT``).
"""

from __future__ import annotations

import os
import signal
import subprocess  # noqa: S404 - starts this project's own commands, never a shell
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _flask(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "wsgi", *args]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> int:
    port = os.environ.get("DEV_MAIL_PORT", "1025")
    web_port = os.environ.get("DEV_PORT", "5000")
    mail_dir = ROOT / "instance" / "mail"
    env = {
        **os.environ,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_USE_STARTTLS": "0",
        "MAIL_USERNAME": "",
        "MAIL_PASSWORD": "",
    }
    if env.get("VOLUNTEER_HUB_ENV", "development") != "development":
        print("make run is for development; production runs gunicorn and `flask outbox run` (deploy/)")
        return 1
    background = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "volunteer_hub.ops.mail_sink", "--port", port, "--dir", str(mail_dir)],
            cwd=ROOT,
            env=env,
        ),
        subprocess.Popen(_flask("outbox", "run", "--interval", "1"), cwd=ROOT, env=env),  # noqa: S603
    ]
    # Ctrl-C or a SIGTERM ends the launcher, whose `finally` stops all three (even where the
    # shell started it with SIGINT ignored, as background jobs are).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    print(f"Volunteer Hub: http://127.0.0.1:{web_port}  (Ctrl-C stops it)", flush=True)
    print(f"E-mail arrives in the local sink: /dev/mail (as an administrator) or {mail_dir}/", flush=True)
    server = subprocess.Popen(_flask("run", "--host", "127.0.0.1", "--port", web_port), cwd=ROOT, env=env)  # noqa: S603
    try:
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for process in (server, *reversed(background)):
            _stop(process)


if __name__ == "__main__":
    sys.exit(main())
