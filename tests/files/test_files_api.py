"""The files API: my files, multipart upload by kind, the signed upload flow
(upload-url -> PUT -> complete), delete, size limits and who may see or delete what."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests import factories as f
from tests.conftest import csrf_token
from webapp.core.db import utcnow
from webapp.directory.models import Profile
from webapp.extensions import db
from webapp.files import services as files
from webapp.files.models import File


def headers(client) -> dict:
    return {"X-CSRFToken": csrf_token(client, "/dashboard")}


def upload(client, data: bytes, name: str, kind: str | None = "document"):
    form = {"file": (io.BytesIO(data), name)}
    if kind:
        form["kind"] = kind
    return client.post("/api/v1/files/upload", data=form, content_type="multipart/form-data", headers=headers(client))


@pytest.fixture
def talent(client, login, make_user):
    user = make_user()
    login(user)
    return user


# Upload and list --------------------------------------------------------------------------------

def test_upload_a_document_and_find_it_in_my_list(client, talent):
    response = upload(client, f.pdf_bytes(), "Lettre de motivation.pdf")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["kind"] == "document" and body["mimeType"] == "application/pdf"
    assert body["filename"] == body["fileName"] == "Lettre de motivation.pdf"
    listed = client.get("/api/v1/files").get_json()
    assert listed["total"] == 1 and listed["page"] == 1 and listed["pages"] == 1
    assert listed["items"][0]["id"] == body["id"]
    download = client.get(body["url"])
    assert download.status_code == 200 and download.data == f.pdf_bytes()
    assert download.headers["Content-Disposition"].startswith("attachment")


def test_a_png_renamed_pdf_is_refused_with_a_clear_error(client, talent):
    response = upload(client, f.image_bytes(), "cv.pdf", kind="cv")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "unsupported_file_type"
    assert "Its content decides, not its name." in error["fields"]["file"][0]
    assert client.get("/api/v1/files").get_json()["total"] == 0


def test_a_talents_photo_and_cv_become_their_profile_s(app, client, talent):
    photo = upload(client, f.image_bytes("JPEG"), "me.jpg", kind="photo")
    cv = upload(client, f.docx_bytes(), "cv.docx", kind="cv")
    assert photo.status_code == cv.status_code == 201
    assert photo.get_json()["mimeType"] == "image/webp"  # re-encoded
    with app.app_context():
        profile = db.session.scalar(select(Profile).where(Profile.user_id == talent.id))
        assert profile.photo_file_id == photo.get_json()["id"]
        assert profile.thumb_file_id is not None
        assert profile.cv_file_id == cv.get_json()["id"]
    kinds = [item["kind"] for item in client.get("/api/v1/files").get_json()["items"]]
    assert sorted(kinds) == ["cv", "photo"]  # the thumbnail is part of the photo


def test_unknown_kind_and_missing_file_are_explained(client, talent):
    assert upload(client, f.pdf_bytes(), "a.pdf", kind="virus").get_json()["error"]["fields"]["kind"]
    response = client.post("/api/v1/files/upload", data={"kind": "cv"}, content_type="multipart/form-data",
                           headers=headers(client))
    assert response.status_code == 422 and "file" in response.get_json()["error"]["fields"]


def test_a_file_over_its_kinds_limit_gets_413_with_the_limit(client, talent):
    big = f.image_bytes() + b"\0" * (5 * 1024 * 1024)
    response = upload(client, big, "huge.png", kind="avatar")
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "payload_too_large" and "5 MB" in error["fields"]["file"][0]


def test_a_request_over_max_content_length_gets_413_json(app, client, talent):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    response = upload(client, b"%PDF-" + b"x" * (2 * 1024 * 1024), "big.pdf")
    assert response.status_code == 413
    assert response.get_json()["error"] == {"code": "payload_too_large",
                                            "message": "The file is too large. The limit is 1 MB."}


def test_anonymous_callers_get_401(client):
    assert client.get("/api/v1/files").status_code == 401
    assert client.post("/api/v1/files/upload-url", json={}).status_code == 401


# The signed flow ----------------------------------------------------------------------------------------

def signed_url(client, **overrides):
    body = {"fileName": "cv.pdf", "fileType": "application/pdf", "fileSize": len(f.pdf_bytes()), "category": "cv"}
    body.update(overrides)
    return client.post("/api/v1/files/upload-url", json=body)


def test_signed_upload_url_then_put_then_complete(app, client, talent):
    answer = signed_url(client)
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert set(body) >= {"uploadUrl", "fileId", "expiresAt"}
    put = app.test_client().put(body["uploadUrl"], data=f.pdf_bytes(), content_type="application/pdf")
    assert put.status_code == 200, put.get_json()
    done = client.post("/api/v1/files/complete", json={"fileId": body["fileId"], "fileName": "Mon CV.pdf"})
    assert done.status_code == 200, done.get_json()
    stored = done.get_json()
    assert stored["fileName"] == "Mon CV.pdf" and stored["mimeType"] == "application/pdf"
    assert stored["size"] == len(f.pdf_bytes())
    assert client.get(stored["url"]).data == f.pdf_bytes()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(File).where(File.status == "pending")) == 0


def test_the_signed_url_works_once(app, client, talent):
    url = signed_url(client).get_json()["uploadUrl"]
    assert client.put(url, data=f.pdf_bytes()).status_code == 200
    again = client.put(url, data=f.pdf_bytes())
    assert again.status_code == 403 and again.get_json()["error"]["code"] == "invalid_upload_url"


def test_a_disguised_file_is_refused_at_complete(client, talent):
    body = signed_url(client, fileSize=len(f.image_bytes())).get_json()
    client.put(body["uploadUrl"], data=f.image_bytes())
    done = client.post("/api/v1/files/complete", json={"fileId": body["fileId"]})
    assert done.status_code == 422
    assert done.get_json()["error"]["code"] == "unsupported_file_type"
    # The refused upload is gone: completing again finds nothing.
    assert client.post("/api/v1/files/complete", json={"fileId": body["fileId"]}).status_code == 404


def test_announced_size_and_type_are_checked_first(client, talent):
    too_big = signed_url(client, fileSize=50 * 1024 * 1024)
    assert too_big.status_code == 413 and "10 MB" in too_big.get_json()["error"]["fields"]["fileSize"][0]
    wrong_type = signed_url(client, fileType="application/x-msdownload")
    assert wrong_type.status_code == 422 and "fileType" in wrong_type.get_json()["error"]["fields"]
    missing = client.post("/api/v1/files/upload-url", json={"fileName": "a.pdf"})
    assert missing.status_code == 422
    assert {"fileType", "fileSize", "category"} <= set(missing.get_json()["error"]["fields"])


def test_a_put_larger_than_announced_is_refused(client, talent):
    url = signed_url(client, fileSize=100).get_json()["uploadUrl"]
    response = client.put(url, data=f.pdf_bytes() + b"x" * 500)
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "payload_too_large"


def test_complete_before_put_or_for_someone_else_fails(app, client, login, make_user, talent):
    body = signed_url(client).get_json()
    early = client.post("/api/v1/files/complete", json={"fileId": body["fileId"]})
    assert early.status_code == 422 and "fileId" in early.get_json()["error"]["fields"]
    client.put(body["uploadUrl"], data=f.pdf_bytes())
    other = app.test_client()
    login(make_user(), into=other)
    assert other.post("/api/v1/files/complete", json={"fileId": body["fileId"]}).status_code == 404


def test_expired_uploads_are_refused_and_cleaned_up(app, client, talent):
    body = signed_url(client).get_json()
    with app.app_context():
        record = db.session.get(File, body["fileId"])
        record.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert client.put(body["uploadUrl"], data=f.pdf_bytes()).status_code == 403
    signed_url(client)  # any new upload sweeps the stale ones
    with app.app_context():
        stale = select(func.count()).select_from(File).where(File.expires_at < utcnow())
        assert db.session.scalar(stale) == 0
        assert db.session.scalar(select(func.count()).select_from(File)) == 1  # only the new one


# Delete and who may see what ------------------------------------------------------------------------------------

def test_delete_my_file_then_it_is_gone(client, talent):
    file_id = upload(client, f.pdf_bytes(), "a.pdf").get_json()["id"]
    assert client.delete(f"/api/v1/files/{file_id}", headers=headers(client)).status_code == 204
    assert client.get(f"/files/{file_id}").status_code == 404
    missing = client.delete(f"/api/v1/files/{file_id}", headers=headers(client))
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"


def test_deleting_my_photo_takes_it_off_my_profile(app, client, talent):
    file_id = upload(client, f.image_bytes(), "me.png", kind="photo").get_json()["id"]
    assert client.delete(f"/api/v1/files/{file_id}", headers=headers(client)).status_code == 204
    with app.app_context():
        profile = db.session.scalar(select(Profile).where(Profile.user_id == talent.id))
        assert profile.photo_file_id is None and profile.thumb_file_id is None


def test_a_talent_cannot_see_list_or_delete_anothers_files(app, client, login, make_user, talent):
    file_id = upload(client, f.docx_bytes(), "cv.docx", kind="cv").get_json()["id"]
    other = app.test_client()
    login(make_user(), into=other)
    assert other.get(f"/files/{file_id}").status_code == 403
    assert other.get("/api/v1/files").get_json()["total"] == 0
    refused = other.delete(f"/api/v1/files/{file_id}", headers=headers(other))
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"
    assert app.test_client().get(f"/files/{file_id}").status_code in (302, 401)


def test_staff_download_profile_documents_but_do_not_delete_a_talents(app, client, login, make_user, talent):
    file_id = upload(client, f.pdf_bytes(), "cv.pdf", kind="cv").get_json()["id"]
    recruiter = app.test_client()
    login(make_user(role="recruiter"), into=recruiter)
    assert recruiter.get(f"/files/{file_id}").status_code == 200
    assert recruiter.delete(f"/api/v1/files/{file_id}", headers=headers(recruiter)).status_code == 403


def test_a_recruiter_deletes_a_candidates_cv(app, client, login, make_user):
    from werkzeug.datastructures import FileStorage

    recruiter = make_user(role="recruiter")
    with app.app_context():
        from webapp.directory import services as directory

        actor = db.session.get(f.User, recruiter.id)
        candidate = f.make_candidate(actor)
        directory.set_cv(actor, candidate, FileStorage(io.BytesIO(f.pdf_bytes()), "cv.pdf"))
        cv_id = candidate.cv_file_id
    login(recruiter)
    assert client.delete(f"/api/v1/files/{cv_id}", headers=headers(client)).status_code == 204
    with app.app_context():
        assert files.get_file(cv_id) is None


def test_deleting_an_account_removes_its_files_from_disk(app, client, login, make_user):
    from webapp.accounts import services as accounts

    owners = []
    for _ in range(2):
        user = make_user()
        login(user)
        upload(client, f.pdf_bytes(), "cv.pdf", kind="cv")
        upload(client, f.image_bytes(), "me.png", kind="photo")
        owners.append(user)
    with app.app_context():
        paths = [files.path_of(record) for record in db.session.scalars(select(File))]
        assert len(paths) == 6 and all(path.exists() for path in paths)
        admin = f.make_user(role="admin")
        accounts.delete_account(db.session.get(f.User, owners[0].id), f.DEFAULT_PASSWORD)
        accounts.admin_delete_account(admin, db.session.get(f.User, owners[1].id))
        assert db.session.scalar(select(func.count()).select_from(File)) == 0
    assert not any(path.exists() for path in paths)
