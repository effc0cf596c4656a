"""Single sign-on in a real browser: "Sign in with School" on the sign-in page, the provider's own
sign-in page (django-oauth-toolkit on loopback), and back here signed in."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from learningpaths.accounts.models import Identity
from tests.browser import a11y
from tests.site.accounts.oidc_provider.serve import PASSWORD
from tests.site.accounts.sso_fixtures import oidc_provider  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_sign_in_with_the_school_provider(browser, live_server, oidc_provider, settings):  # noqa: F811
    settings.SSO_PROVIDERS = [oidc_provider.config(name="School")]
    # The site on 127.0.0.1 and the provider on localhost: two hosts, so their cookies stay apart.
    site = live_server.url.replace("localhost", "127.0.0.1")
    reports = {"sign-in with a provider": a11y.audit(browser, site + "/accounts/sign-in/?next=/classes/")}
    browser.find_element(By.LINK_TEXT, "Sign in with School").click()

    WebDriverWait(browser, 20).until(lambda b: b.current_url.startswith(oidc_provider.url + "/login/"))
    browser.find_element(By.NAME, "username").send_keys("teacher")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.ID, "provider-submit").click()

    WebDriverWait(browser, 20).until(lambda b: b.current_url == site + "/classes/")
    who = browser.find_element(By.CSS_SELECTOR, ".who").text
    identity = Identity.objects.select_related("user").get()
    assert identity.user.username in who and "teacher" in who  # the provider's group made a teacher
    assert identity.name == "Jan Janssens" and identity.issuer == oidc_provider.issuer
    reports["ways to sign in"] = a11y.audit(browser, site + "/accounts/sign-ins/")
    assert "Jan Janssens" in browser.find_element(By.ID, "linked-sign-ins").text
    assert not any(v for r in reports.values() for v in r.values()), a11y.failures(reports)
