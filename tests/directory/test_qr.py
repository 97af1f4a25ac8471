"""QR codes: they hold the public URL (read back from the pixels), come as valid PNG and
SVG, are cached with a strong ETag (304), follow a revoke, and are only for the owner and
staff who may see the profile. The printable card."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from tests import factories as f
from tests.directory.publishing_helpers import BASE_URL, detach, full_talent
from tests.directory.qr_reader import read_png, read_svg
from webapp.directory.models import Profile
from webapp.directory.publishing import qr
from webapp.directory.publishing import services as publishing
from webapp.extensions import db


@pytest.fixture
def owner(app):
    """(user, profile id) of a talent; the QR codes use the configured public address."""
    app.config["PUBLIC_BASE_URL"] = BASE_URL
    with app.app_context():
        user, profile = full_talent()
        return detach(user), profile.id


def token_of(app, profile_id):
    with app.app_context():
        return db.session.get(Profile, profile_id).public_token


def test_the_png_holds_the_public_url(app, client, login, owner):
    user, profile_id = owner
    login(user)
    for size in (256, 512, 1024):
        response = client.get(f"/directory/{profile_id}/qr.png?size={size}")
        assert response.status_code == 200
        assert response.mimetype == "image/png"
        image = Image.open(io.BytesIO(response.data))
        assert image.format == "PNG" and image.width == image.height and image.width <= size
        assert read_png(response.data) == f"{BASE_URL}/p/{token_of(app, profile_id)}"


def test_the_svg_holds_the_same_url_and_is_valid(app, client, login, owner):
    user, profile_id = owner
    login(user)
    response = client.get(f"/directory/{profile_id}/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert read_svg(response.data) == f"{BASE_URL}/p/{token_of(app, profile_id)}"


def test_a_profile_without_a_token_gets_one_when_its_code_is_first_asked_for(app, client, login, owner):
    user, profile_id = owner
    assert token_of(app, profile_id) is None
    login(user)
    client.get(f"/directory/{profile_id}/qr.png")
    token = token_of(app, profile_id)
    assert token and len(token) == 32
    client.get(f"/directory/{profile_id}/qr.svg")
    assert token_of(app, profile_id) == token


def test_a_strong_etag_and_304_when_the_browser_has_it(client, login, owner):
    user, profile_id = owner
    login(user)
    first = client.get(f"/directory/{profile_id}/qr.png")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = client.get(f"/directory/{profile_id}/qr.png", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    other_size = client.get(f"/directory/{profile_id}/qr.png?size=1024", headers={"If-None-Match": etag})
    assert other_size.status_code == 200 and other_size.headers["ETag"] != etag


def test_after_a_revoke_the_etag_and_the_code_change(app, client, login, owner):
    user, profile_id = owner
    login(user)
    before = client.get(f"/directory/{profile_id}/qr.png")
    with app.app_context():
        profile = db.session.get(Profile, profile_id)
        publishing.revoke_token(profile.user, profile)
    after = client.get(f"/directory/{profile_id}/qr.png", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert read_png(after.data) == f"{BASE_URL}/p/{token_of(app, profile_id)}"


def test_downloads_are_attachments_named_after_the_code(client, login, owner):
    user, profile_id = owner
    login(user)
    response = client.get(f"/directory/{profile_id}/qr.svg?download=1")
    assert response.headers["Content-Disposition"] == 'attachment; filename="talentbase-qr-MAF0001RAB.svg"'


def test_an_unknown_size_gets_the_default(client, login, owner):
    user, profile_id = owner
    login(user)
    assert Image.open(io.BytesIO(client.get(f"/directory/{profile_id}/qr.png?size=99999").data)).width <= 512
    assert client.get(f"/directory/{profile_id}/qr.png?size=abc").status_code == 200


# Who may have the code -------------------------------------------------------------------------------

def test_staff_who_may_see_the_profile_download_its_code(client, login, make_user, owner):
    login(make_user(role="recruiter"))
    assert client.get(f"/directory/{owner[1]}/qr.png").status_code == 200
    assert client.get(f"/directory/{owner[1]}/card").status_code == 200


@pytest.mark.parametrize("role", ["talent", "consultant"])
def test_another_talent_or_a_consultant_cannot(client, login, make_user, owner, role):
    login(make_user(role=role))
    for path in ("qr.png", "qr.svg", "card"):
        assert client.get(f"/directory/{owner[1]}/{path}").status_code == 403


def test_anonymous_visitors_are_asked_to_sign_in(client, owner):
    assert client.get(f"/directory/{owner[1]}/qr.png").status_code == 302
    assert client.get("/directory/999999/qr.png").status_code == 302


def test_an_unknown_profile_is_404(client, login, make_user):
    login(make_user(role="recruiter"))
    assert client.get("/directory/999999/qr.png").status_code == 404


# The card --------------------------------------------------------------------------------------------

def test_the_card_has_photo_name_code_headline_and_code_and_no_inline_style(client, login, owner):
    user, profile_id = owner
    login(user)
    html = client.get(f"/directory/{profile_id}/card").get_data(as_text=True)
    for part in ("Amina Tazi", "MAF0001RAB", "Actrice et chanteuse", f"/directory/{profile_id}/qr.svg",
                 "/files/", "data-print"):
        assert part in html
    assert 'data-testid="card-unpublished"' in html  # a warning: the code leads nowhere yet
    assert "style=" not in html
    assert "<script>" not in html


# The image itself ------------------------------------------------------------------------------------

def test_the_drawing_is_deterministic_and_the_etag_depends_on_url_and_size():
    url = f"{BASE_URL}/p/{'x' * 32}"
    assert qr.render_png(url) == qr.render_png(url)
    assert qr.etag(url, "png-512") != qr.etag(url, "png-256")
    assert qr.etag(url, "png-512") != qr.etag(url + "y", "png-512")
    assert read_png(qr.cached_png(url, 512)) == url


def test_the_public_url_uses_the_configured_base(app, ctx):
    app.config["PUBLIC_BASE_URL"] = "https://cards.example.net/"
    user = f.make_user()
    profile = f.talent_profile(user)
    assert publishing.public_url(profile) == f"https://cards.example.net/p/{profile.public_token}"


@pytest.mark.parametrize("extra", [0, 40, 120, 300])
def test_the_fast_mask_choice_is_the_librarys_own(extra):
    """The numpy mask choice gives exactly the matrix qrcode itself would (versions 5 to 14)."""
    import numpy as np
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    url = f"{BASE_URL}/p/{'Zq-9' * 8}" + "x" * extra
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=qr.BORDER)
    code.add_data(url)
    code.make(fit=True)
    assert (np.array(code.get_matrix(), dtype=bool) == qr.matrix(url)).all()
