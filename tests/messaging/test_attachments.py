"""Files attached to messages: checked by content, shown to the conversation, gone with the message."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image

from tests.conftest import csrf_token

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def send(client, cid, text, *uploads):
    token = csrf_token(client, f"/messages/{cid}")
    data = {"text": text, "csrf_token": token,
            "attachments": [(io.BytesIO(content), name) for name, content in uploads]}
    return client.post(f"/messages/{cid}/send", data=data, content_type="multipart/form-data")


def attachment_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"/messages/attachments/(\d+)", html)]


def test_an_image_and_a_pdf_reach_the_conversation_and_only_it(app, client, login, people, start):
    cid = start(people["consultant"], [people["talent"]])
    login(people["talent"])
    assert send(client, cid, "my papers", ("photo.png", png()), ("cv.pdf", PDF)).status_code == 302
    html = client.get(f"/messages/{cid}").get_data(as_text=True)
    image_id, pdf_id = sorted(set(attachment_ids(html)))
    assert "cv.pdf" in html
    consultant = app.test_client()
    login(people["consultant"], into=consultant)
    image = consultant.get(f"/messages/attachments/{image_id}")
    assert image.status_code == 200 and image.mimetype == "image/webp"  # re-encoded
    document = consultant.get(f"/messages/attachments/{pdf_id}")
    assert document.status_code == 200 and document.mimetype == "application/pdf"
    assert "attachment" in document.headers["Content-Disposition"]
    assert "sandbox" in document.headers["Content-Security-Policy"]
    outsider = app.test_client()
    login(people["recruiter"], into=outsider)
    assert outsider.get(f"/messages/attachments/{pdf_id}").status_code == 404
    assert app.test_client().get(f"/messages/attachments/{pdf_id}").status_code == 302  # sign in first


def test_a_file_whose_content_is_not_accepted_is_refused_and_nothing_is_kept(app, client, login, people, start):
    cid = start(people["consultant"], [people["talent"]])
    login(people["talent"])
    before = set(Path(app.config["UPLOAD_DIR"]).rglob("*")) if Path(app.config["UPLOAD_DIR"]).exists() else set()
    response = send(client, cid, "look", ("invoice.pdf", b"MZ\x90\x00 this is a program \x00\x01"))
    assert response.status_code == 422
    assert "Attach PDF, Word or text documents" in response.get_data(as_text=True)
    assert "look" in response.get_data(as_text=True)  # what was typed stays
    after = set(Path(app.config["UPLOAD_DIR"]).rglob("*")) if Path(app.config["UPLOAD_DIR"]).exists() else set()
    assert {p for p in after - before if p.is_file()} == set()
    assert "look" not in client.get(f"/messages/{cid}").get_data(as_text=True).split('id="messages-')[1]


def test_deleting_the_message_deletes_its_files(client, login, people, start):
    cid = start(people["consultant"], [people["talent"]])
    login(people["talent"])
    send(client, cid, "oops", ("cv.pdf", PDF))
    html = client.get(f"/messages/{cid}").get_data(as_text=True)
    file_id = attachment_ids(html)[0]
    message_id = re.search(r'id="message-(\d+)"', html).group(1)
    client.post(f"/messages/{cid}/messages/{message_id}/delete", data={"csrf_token": csrf_token(client, "/messages")})
    assert client.get(f"/messages/attachments/{file_id}").status_code == 404


def test_the_api_takes_files_in_multipart(client, login, people, start):
    cid = start(people["consultant"], [people["talent"]])
    login(people["talent"])
    token = csrf_token(client, "/messages")
    answer = client.post(f"/api/v1/conversations/{cid}/messages", headers={"X-CSRFToken": token},
                         data={"text": "here", "attachments": [(io.BytesIO(PDF), "cv.pdf")]},
                         content_type="multipart/form-data")
    assert answer.status_code == 201, answer.get_json()
    attachment = answer.get_json()["attachments"][0]
    assert attachment["name"] == "cv.pdf" and attachment["mimeType"] == "application/pdf"
    assert attachment["url"].endswith(f"/messages/attachments/{attachment['id']}")


def test_the_files_route_applies_the_same_rule_to_a_messages_file(app, client, login, people, make_user, start):
    """/files/<id> serves a message's file to the people of its conversation only: not to an
    admin outside it, nor to someone removed from it (a participant gets it as an attachment)."""
    from webapp.accounts.models import User
    from webapp.extensions import db
    from webapp.messaging import services
    from webapp.messaging.models import Conversation

    cid = start(people["consultant"], [people["talent"], people["recruiter"]])
    login(people["talent"])
    send(client, cid, "my papers", ("cv.pdf", PDF))
    file_id = attachment_ids(client.get(f"/messages/{cid}").get_data(as_text=True))[0]
    assert client.get(f"/files/{file_id}").status_code == 200  # its sender
    consultant = login(people["consultant"], into=app.test_client())
    answer = consultant.get(f"/files/{file_id}")
    assert answer.status_code == 200 and "attachment" in answer.headers["Content-Disposition"]
    admin = login(people["admin"], into=app.test_client())
    assert admin.get(f"/files/{file_id}").status_code in (403, 404)
    assert admin.get(f"/messages/attachments/{file_id}").status_code == 404
    recruiter = login(people["recruiter"], into=app.test_client())
    assert recruiter.get(f"/messages/attachments/{file_id}").status_code == 200
    with app.app_context():
        services.remove_participant(db.session.get(User, people["consultant"].id), db.session.get(Conversation, cid),
                                    people["recruiter"].id)
    assert recruiter.get(f"/messages/attachments/{file_id}").status_code == 404
    assert recruiter.get(f"/files/{file_id}").status_code in (403, 404)
