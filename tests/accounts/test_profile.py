"""My account > Profile: name, phone, bio and the photo."""

from __future__ import annotations

import io

from sqlalchemy import select

from tests.conftest import csrf_token, page_text
from tests.factories import image_bytes
from webapp.accounts.models import User
from webapp.extensions import db
from webapp.files import services as files
from webapp.files.models import File


def save_profile(client, **fields):
    data = {"full_name": "Amina Tazi", "phone": "", "bio": "", **fields,
            "csrf_token": csrf_token(client, "/account/")}
    return client.post("/account/", data=data)


def upload(client, data: bytes, name="me.png", **headers):
    return client.post("/account/avatar", headers=headers, content_type="multipart/form-data", data={
        "avatar": (io.BytesIO(data), name), "csrf_token": csrf_token(client, "/account/")})


def stored(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def avatars(app, user_id):
    with app.app_context():
        rows = list(db.session.scalars(select(File).where(File.owner_id == user_id, File.kind == "avatar")))
        return [(row.content_type, files.path_of(row)) for row in rows]


def test_the_profile_page_shows_my_details(client, make_user, login):
    user = make_user(full_name="Amina Tazi")
    login(user)
    response = client.get("/account/")
    assert response.status_code == 200
    assert 'value="Amina Tazi"' in response.get_data(as_text=True)


def test_saving_the_profile_stores_and_confirms(app, client, make_user, login):
    user = make_user()
    login(user)
    response = save_profile(client, full_name="  Amina   Tazi ", phone="+212 6 12 34 56 78", bio="Actress from Rabat.")
    assert response.status_code == 200
    assert "Your profile is saved." in page_text(response)
    saved = stored(app, user.id)
    assert (saved.full_name, saved.phone, saved.bio) == ("Amina Tazi", "+212 6 12 34 56 78", "Actress from Rabat.")


def test_a_bad_phone_is_explained_and_nothing_is_saved(app, client, make_user, login):
    user = make_user(full_name="Old Name")
    login(user)
    response = save_profile(client, full_name="New Name", phone="call me maybe")
    assert response.status_code == 422
    assert "Enter a phone number with digits, spaces and an optional leading +." in page_text(response)
    assert 'value="New Name"' in response.get_data(as_text=True)  # what was typed is kept
    assert stored(app, user.id).full_name == "Old Name"


def test_an_empty_name_is_refused(client, make_user, login):
    login(make_user())
    response = save_profile(client, full_name="   ")
    assert response.status_code == 422


def test_a_bio_is_shown_escaped(client, make_user, login):
    login(make_user())
    save_profile(client, bio="<script>alert(1)</script>")
    html = client.get("/account/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html


def test_a_photo_is_stored_reencoded_and_served(app, client, make_user, login):
    user = make_user()
    login(user)
    response = upload(client, image_bytes("JPEG", (1200, 900)))
    assert response.status_code == 302 and response.headers["Location"] == "/account/"
    assert "Your new photo is saved." in page_text(client.get("/account/"))
    [(content_type, path)] = avatars(app, user.id)
    assert content_type == "image/webp" and path.exists()
    from PIL import Image

    with Image.open(path) as image:
        assert max(image.size) <= files.AVATAR_SIZE
    served = client.get(f"/files/avatar/{user.id}")
    assert served.status_code == 200 and served.mimetype == "image/webp"


def test_a_new_photo_replaces_the_old_one_and_its_file(app, client, make_user, login):
    user = make_user()
    login(user)
    upload(client, image_bytes())
    [(_type, old_path)] = avatars(app, user.id)
    upload(client, image_bytes(color="orange"))
    [(_type, new_path)] = avatars(app, user.id)
    assert new_path != old_path and not old_path.exists() and new_path.exists()


def test_removing_the_photo_deletes_it(app, client, make_user, login):
    user = make_user()
    login(user)
    upload(client, image_bytes())
    [(_type, path)] = avatars(app, user.id)
    client.post("/account/avatar", data={"remove": "1", "csrf_token": csrf_token(client, "/account/")})
    assert avatars(app, user.id) == [] and not path.exists()
    assert client.get(f"/files/avatar/{user.id}").status_code == 404


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(app, client, make_user, login):
    user = make_user()
    login(user)
    response = upload(client, b"%PDF-1.4 not a picture at all", name="me.png")
    assert response.status_code == 422
    assert "This file is not a valid JPEG, PNG or WebP image." in page_text(response)
    assert avatars(app, user.id) == []


def test_an_image_format_other_than_jpeg_png_webp_is_refused(client, make_user, login):
    login(make_user())
    response = upload(client, image_bytes("GIF"), name="me.gif")
    assert response.status_code == 422
    assert "Only JPEG, PNG and WebP images are accepted." in page_text(response)


def test_no_file_chosen_is_explained(client, make_user, login):
    login(make_user())
    response = client.post("/account/avatar", data={"csrf_token": csrf_token(client, "/account/")})
    assert response.status_code == 422
    assert "Choose a file to upload." in page_text(response)


def test_a_photo_over_5_mb_is_refused_with_the_limit(client, make_user, login):
    login(make_user())
    response = upload(client, b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 10))
    assert response.status_code == 422
    assert "The file is too large. The limit is 5 MB." in page_text(response)


def test_a_request_over_the_upload_limit_gets_a_413_page(app, client, make_user, login):
    login(make_user())
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    response = upload(client, b"0" * (2 * 1024 * 1024))
    assert response.status_code == 413
    assert response.mimetype == "text/html"
    assert "The file is too large. The limit is 1 MB." in page_text(response)


def test_htmx_upload_errors_come_back_as_the_avatar_fragment(client, make_user, login):
    login(make_user())
    response = upload(client, b"nope", **{"HX-Request": "true"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="avatar-errors"' in html


def test_avatars_are_for_signed_in_people_only(client, make_user, login, app):
    user = make_user()
    login(user)
    upload(client, image_bytes())
    assert app.test_client().get(f"/files/avatar/{user.id}").status_code == 302
    other = app.test_client()
    login(make_user(), into=other)
    assert other.get(f"/files/avatar/{user.id}").status_code == 200


def test_my_account_pages_need_sign_in(client):
    for path in ("/account/", "/account/preferences", "/account/privacy", "/account/api-keys"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login"), path
