"""`make run`'s mail: the outbox worker sends to the local SMTP sink, which keeps each message as an
.eml file that an administrator reads at /dev/mail (development only). Run once, no waiting."""

from __future__ import annotations

import re

from tests.conftest import free_port
from tests.support import csrf_token, login_as, make_app, make_glostrup
from tests.volunteers.test_registration import fill_all_steps
from volunteer_hub.ops.mail_sink import list_messages, start_sink


def test_a_volunteers_confirmation_arrives_in_the_sink_and_its_link_works(tmp_path):
    mail_dir = tmp_path / "mail"
    port = free_port()
    app = make_app(
        f"sqlite:///{tmp_path / 'dev.sqlite3'}",
        DEV_MAIL_DIR=str(mail_dir),
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
    )
    with app.app_context():
        glostrup = make_glostrup()
    client = app.test_client()
    fill_all_steps(client, glostrup.red_cross_id)
    client.post("/bliv-frivillig/tjek", data={"csrf_token": csrf_token(client, "/bliv-frivillig/tjek")})
    assert list_messages(mail_dir) == []

    sink = start_sink(mail_dir, port=port)
    try:
        result = app.test_cli_runner().invoke(args=["outbox", "run", "--once"])
    finally:
        sink.stop()
    assert result.exit_code == 0, result.output

    [message] = list_messages(mail_dir)
    assert message.recipient == "maja.holm@example.dk"
    assert message.subject == "Confirm your e-mail address for Volunteer Hub"
    link = re.search(r"http://127\.0\.0\.1:5000(/bliv-frivillig/bekraeft/\S+)", message.body).group(1)
    assert client.get(link).status_code == 200

    login_as(client, glostrup.admin_login)
    page = client.get("/dev/mail").get_data(as_text=True)
    assert "Confirm your e-mail address for Volunteer Hub" in page and "maja.holm@example.dk" in page
    login_as(client, glostrup.coordinator_login)
    assert client.get("/dev/mail").status_code == 403


def test_the_mail_page_does_not_exist_outside_development(client, glostrup):
    login_as(client, glostrup.admin_login)
    assert client.get("/dev/mail").status_code == 404
