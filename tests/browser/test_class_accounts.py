"""Pupils without e-mail sign in with the cards their teacher printed: one types the class code,
their name and the password; another opens the address of their card's QR code (once)."""

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from learningpaths.classroom import services
from tests.browser import a11y
from tests.browser.conftest import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
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
    noah_url = next(c for c in cards if "Noah" in c.text).get_attribute("data-sign-in-url")
    assert re.fullmatch(r"[a-z2-9]{8}", password)
    reports = {"cards": a11y.audit(browser, phone=False)}  # a page that came from a POST
    # Printing shows the cards and nothing of the site around them.
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not browser.find_element(By.CSS_SELECTOR, ".site-header").is_displayed()
    assert zoe.is_displayed()
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

    # Zoë, in a fresh session, types the code, her name and the password from her card.
    browser.delete_all_cookies()
    reports["class sign-in"] = a11y.audit(browser, f"{live_server.url}/classes/sign-in/")
    browser.get(f"{live_server.url}/classes/sign-in/")
    browser.find_element(By.NAME, "code").send_keys(classroom.code.lower())
    browser.find_element(By.NAME, "name").send_keys("zoë peeters")
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda b: b.current_url == live_server.url + "/classes/")
    assert "zoë.peeters" in browser.find_element(By.CSS_SELECTOR, ".who").text  # her username: class code + name
    assert classroom.name in browser.find_element(By.TAG_NAME, "main").text  # her class is on her home page

    # Noah scans his QR code: its address asks who he is, one press signs him in.
    browser.delete_all_cookies()
    reports["QR sign-in"] = a11y.audit(browser, noah_url)
    assert "Are you Noah from 1A?" in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda b: b.current_url == live_server.url + "/classes/")
    assert browser.find_elements(By.CSS_SELECTOR, ".who")
    assert not any(v for r in reports.values() for v in r.values()), a11y.failures(reports)
