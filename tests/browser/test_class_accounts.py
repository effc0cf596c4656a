"""A pupil without e-mail signs in with the card their teacher printed: the QR code's address fills
in the class code and name, the pupil types the password from the card."""

import re
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from learningpaths.classroom import services
from tests.browser.conftest import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="covered on SQLite"
    ),
]


def test_a_pupil_signs_in_with_a_printed_card(browser, live_server, django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    teacher = django_user_model.objects.create_user("ms-peeters", password="pw-teacher-123", role="teacher")
    classroom = services.classroom_create(teacher=teacher, name="1A")
    # The teacher pastes two names and gets the cards page.
    sign_in(browser, live_server, "ms-peeters", "pw-teacher-123")
    browser.get(f"{live_server.url}/classes/{classroom.pk}/")
    browser.find_element(By.ID, "id_accounts_names").send_keys("Zoë Peeters\nNoah")
    browser.find_element(By.XPATH, "//button[normalize-space()='Make accounts and print cards']").click()
    WebDriverWait(browser, 20).until(lambda b: b.find_elements(By.CSS_SELECTOR, ".card"))
    cards = browser.find_elements(By.CSS_SELECTOR, ".card")
    assert len(cards) == 2 and all(c.find_element(By.CSS_SELECTOR, "svg.qr").size["width"] > 50 for c in cards)
    zoe = next(c for c in cards if "Zoë Peeters" in c.text)
    password = zoe.find_element(By.CSS_SELECTOR, ".card-password").text
    assert re.fullmatch(r"[a-z2-9]{8}", password)
    # Printing shows the cards and nothing of the site around them.
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not browser.find_element(By.CSS_SELECTOR, ".site-header").is_displayed()
    assert zoe.is_displayed()
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

    # The pupil, in a fresh session, opens the address the QR code holds and types the password.
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/classes/sign-in/?" + urlencode({"code": classroom.code, "name": "Zoë Peeters"}))
    assert browser.find_element(By.NAME, "code").get_attribute("value") == classroom.code
    assert browser.find_element(By.NAME, "name").get_attribute("value") == "Zoë Peeters"
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda b: b.current_url == live_server.url + "/classes/")
    assert browser.find_elements(By.CSS_SELECTOR, ".who")
    assert classroom.name in browser.find_element(By.TAG_NAME, "main").text  # their class is on their home page
