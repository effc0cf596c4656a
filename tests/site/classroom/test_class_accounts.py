"""Class accounts for pupils without e-mail: the pasted list, the accounts and cards, a new card,
and the pupils' sign-in with class code, name and password (rate-limited)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from learningpaths.classroom import services_accounts
from learningpaths.classroom.models import ClassAccount, Membership
from learningpaths.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db
User = get_user_model()
CARD = re.compile(r'class="card-name">([^<]*)</dd>.*?class="card-password">([^<]*)</dd>', re.S)


def test_names_are_parsed_one_a_line():
    assert services_accounts.class_names_parse("  Emma \n\nNoah  Janssens\r\nZoë\n") == ["Emma", "Noah Janssens", "Zoë"]
    for text, message in [
        ("", "at least one name"),
        ("\n  \n", "at least one name"),
        ("\n".join(f"Pupil {i}" for i in range(500)), "That is 500 names"),
        ("Emma\nNoah\nemma", "in the list twice: Emma"),
        ("Ä" * 61, "longer than 60"),
        ("Emma\u0000", "cannot be used"),
        ("Em\u202ema", "cannot be used"),  # a right-to-left override would turn a name around
        ("x" * 20_001, "too long"),
    ]:
        with pytest.raises(ApplicationError, match=message):
            services_accounts.class_names_parse(text)
    # The same name in another Unicode form (NFD) is the same name.
    with pytest.raises(ApplicationError, match="twice"):
        services_accounts.class_names_parse("Zoë\nZoe\u0308")


def test_accounts_cards_and_a_new_card(classroom, teacher, other_teacher):
    cards = services_accounts.class_accounts_create(classroom=classroom, actor=teacher, names=["Emma", "Noah"])
    assert [c.name for c in cards] == ["Emma", "Noah"] and all(c.code == classroom.code for c in cards)
    for card in cards:
        assert len(card.password) == 8 and not set(card.password) & set("0o1li")
        user = User.objects.get(pk=card.user_id)
        assert user.check_password(card.password) and user.role == User.Role.STUDENT and user.email == ""
        assert Membership.objects.get(classroom=classroom, user=user).status == Membership.Status.ACTIVE
    usernames = set(User.objects.filter(pk__in=[c.user_id for c in cards]).values_list("username", flat=True))
    assert len(usernames) == 2

    with pytest.raises(ApplicationError, match="Already in this class: Emma") as refused:
        services_accounts.class_accounts_create(classroom=classroom, actor=teacher, names=["EMMA"])
    assert refused.value.extra["status"] == 409
    with pytest.raises(ApplicationError) as refused:
        services_accounts.class_accounts_create(classroom=classroom, actor=other_teacher, names=["Lies"])
    assert refused.value.extra["status"] == 404

    emma = cards[0]
    new = services_accounts.class_account_password_reset(classroom=classroom, actor=teacher, user_id=emma.user_id)
    user = User.objects.get(pk=emma.user_id)
    assert new.password != emma.password and user.check_password(new.password)
    assert not user.check_password(emma.password)


def test_the_teacher_pastes_names_and_gets_printable_cards(client, classroom, teacher):
    client.force_login(teacher)
    page = client.get(f"/classes/{classroom.pk}/")
    assert b"Class accounts for pupils without e-mail" in page.content
    assert b"sign in with this code too" not in page.content

    answer = client.post(f"/classes/{classroom.pk}/accounts/new/", {"names": "Emma\nNoah"})
    assert answer.status_code == 200 and answer["Cache-Control"] == "private, no-store"
    html = answer.content.decode()
    cards = CARD.findall(html)
    assert [name for name, _password in cards] == ["Emma", "Noah"]
    cards_html = html.split('<ul class="cards"', 1)[1].split("</ul>", 1)[0]
    assert cards_html.count('class="qr"') == 2 and "<img" not in cards_html  # QR codes drawn inline, as SVG
    assert "css/cards.css" in html

    # The class page now offers a new card for each of them, and a new card is a new password.
    emma = ClassAccount.objects.get(classroom=classroom, name="Emma")
    page = client.get(f"/classes/{classroom.pk}/").content.decode()
    assert f"/classes/{classroom.pk}/students/{emma.user_id}/card/" in page
    assert "sign in with this code too" in page  # a new join code changes what the cards say
    answer = client.post(f"/classes/{classroom.pk}/students/{emma.user_id}/card/")
    ((name, password),) = CARD.findall(answer.content.decode())
    assert name == "Emma" and password != cards[0][1]
    emma.user.refresh_from_db()
    assert emma.user.check_password(password)


@pytest.mark.parametrize(
    ("names", "status", "message"),
    [
        ("", 400, "This field is required"),
        ("\n\n", 400, "at least one name"),
        ("\n".join(f"P{i}" for i in range(500)), 400, "That is 500 names"),
        ("Emma\nemma", 400, "twice"),
        ("🙂" * 61, 400, "longer than 60"),
        ("x" * 20_001, 400, "at most"),
    ],
)
def test_bad_lists_are_4xx_with_a_message(client, classroom, teacher, names, status, message):
    client.force_login(teacher)
    answer = client.post(f"/classes/{classroom.pk}/accounts/new/", {"names": names})
    assert answer.status_code == status
    assert message in answer.content.decode()
    assert not ClassAccount.objects.exists()


def test_students_and_strangers_cannot_make_accounts(client, classroom, student):
    client.force_login(student)
    assert client.post(f"/classes/{classroom.pk}/accounts/new/", {"names": "Emma"}).status_code == 404
    assert client.post(f"/classes/{classroom.pk}/students/{student.pk}/card/").status_code == 404


def test_a_pupil_signs_in_with_the_card(client, classroom, teacher):
    (card,) = services_accounts.class_accounts_create(classroom=classroom, actor=teacher, names=["Zoë Peeters"])
    page = client.get(f"/classes/sign-in/?code={classroom.code}&name=Zo%C3%AB+Peeters")
    assert f'value="{classroom.code}"' in page.content.decode() and 'value="Zoë Peeters"' in page.content.decode()

    wrong = client.post("/classes/sign-in/", {"code": "NOSUCH", "name": "Zoë Peeters", "password": card.password})
    assert wrong.status_code == 400 and b"no class with this code" in wrong.content
    wrong = client.post("/classes/sign-in/", {"code": classroom.code, "name": "Zoë Peeters", "password": "nope"})
    assert wrong.status_code == 400 and b"do not match" in wrong.content
    wrong = client.post("/classes/sign-in/", {"code": classroom.code, "name": "x" * 61, "password": "p"})
    assert wrong.status_code == 400
    assert "_auth_user_id" not in client.session

    # Code in small letters, name in capitals and with extra spaces: the same pupil.
    answer = client.post(
        "/classes/sign-in/", {"code": classroom.code.lower(), "name": " ZOË  peeters ", "password": card.password}
    )
    assert answer.status_code == 302 and answer["Location"] == "/classes/"
    assert int(client.session["_auth_user_id"]) == card.user_id


def test_class_sign_in_is_rate_limited(client, classroom, teacher, settings):
    settings.SIGNIN_MAX_FAILURES = 3
    (card,) = services_accounts.class_accounts_create(classroom=classroom, actor=teacher, names=["Noah"])
    for _i in range(3):
        assert (
            client.post("/classes/sign-in/", {"code": classroom.code, "name": "Noah", "password": "x"}).status_code
            == 400
        )
    locked = client.post("/classes/sign-in/", {"code": classroom.code, "name": "noah", "password": card.password})
    assert locked.status_code == 429 and locked["Retry-After"] and b"Too many failed attempts" in locked.content
    assert "_auth_user_id" not in client.session


def test_the_class_sign_in_speaks_dutch(client, classroom):
    page = client.get("/classes/sign-in/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Aanmelden met je kaart" in page and "Klascode" in page
    answer = client.post(
        "/classes/sign-in/", {"code": "NOSUCH", "name": "Zoë", "password": "x"}, HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert answer.status_code == 400 and "Er is geen klas met deze code" in answer.content.decode()


def test_the_qr_code_signs_in_once(client, classroom, teacher, rf):
    from learningpaths.classroom import cards as card_render

    client.force_login(teacher)
    html = client.post(f"/classes/{classroom.pk}/accounts/new/", {"names": "Emma"}).content.decode()
    url = re.search(r'data-sign-in-url="([^"]+)"', html).group(1)
    assert url.startswith("http://testserver/classes/card/")
    # The QR code drawn on the card is the one for exactly this address.
    assert str(card_render.qr_svg(url)) in html
    client.logout()

    path = url.removeprefix("http://testserver")
    ask = client.get(path)  # a phone's link preview: asks, changes nothing
    assert ask.status_code == 200 and "Are you Emma from 3B science?" in ask.content.decode()
    assert client.get(path).status_code == 200
    answer = client.post(path)
    emma = ClassAccount.objects.get(name="Emma")
    assert answer.status_code == 302 and int(client.session["_auth_user_id"]) == emma.user_id
    assert emma.qr_token_hash == ""

    # Used once: it signs nobody in again.
    client.logout()
    again = client.post(path)
    assert again.status_code == 404 and b"already used" in again.content
    assert "_auth_user_id" not in client.session
    assert client.get("/classes/card/made-up-token/").status_code == 404

    # A new card has a new code; the old one (had it been unused) stops working.
    client.force_login(teacher)
    html = client.post(f"/classes/{classroom.pk}/students/{emma.user_id}/card/").content.decode()
    new_url = re.search(r'data-sign-in-url="([^"]+)"', html).group(1)
    assert new_url != url
    first = client.post(f"/classes/{classroom.pk}/students/{emma.user_id}/card/").content.decode()
    newest = re.search(r'data-sign-in-url="([^"]+)"', first).group(1)
    client.logout()
    assert client.post(new_url.removeprefix("http://testserver")).status_code == 404
    assert client.post(newest.removeprefix("http://testserver")).status_code == 302


def test_deleting_the_class_deletes_its_class_accounts_only(client, classroom, teacher, member):
    cards = services_accounts.class_accounts_create(classroom=classroom, actor=teacher, names=["Emma", "Noah"])
    client.force_login(teacher)
    page = client.get(f"/classes/{classroom.pk}/delete/").content.decode()
    assert "The 2 class accounts you made for this class are deleted too" in page
    assert client.post(f"/classes/{classroom.pk}/delete/").status_code == 302
    assert not User.objects.filter(pk__in=[c.user_id for c in cards]).exists()
    assert User.objects.filter(pk=member.pk).exists()  # a student who joined with the code keeps their account
