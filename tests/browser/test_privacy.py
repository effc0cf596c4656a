"""No page makes a request to another host, and the Content-Security-Policy is never violated.

Chromium's performance log lists every network request a page makes; the browser log lists CSP
violations. We load every kind of page (catalogue, path player, object, search, sign in) from the
real Dwengo samples and our fixtures.
"""

import json
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "dwengo" / "samples" / "learning_content"


def requested_hosts(browser) -> set[str]:
    hosts = set()
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if url.startswith(("http://", "https://", "ws://", "wss://")):
                hosts.add(urlparse(url).hostname)
    return hosts


def csp_violations(browser) -> list[str]:
    return [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared samples are not present")
def test_pages_only_talk_to_their_own_host(browser, live_server, sample_site, settings, tmp_path, teacher):
    settings.COMPILE_CACHE_DIR = tmp_path / "cache"
    from learningpaths.paths.models import LearningObject, LearningPath

    call_command("compilecontent", str(SAMPLES), "--allow-errors", stdout=open("/dev/null", "w"))
    urls = ["/", "/search/?q=ladder", "/accounts/sign-in/", "/paths/deep/en/"]
    urls += [p.get_absolute_url() for p in LearningPath.objects.all()]
    urls += [o.get_absolute_url() for o in LearningObject.objects.filter(teacher_exclusive=False)]
    own = urlparse(live_server.url).hostname
    for url in urls:
        browser.get(live_server.url + url)
        browser.execute_script("return document.readyState")
        hosts = requested_hosts(browser)
        assert hosts <= {own}, f"{url} contacted {hosts - {own}}"
        assert csp_violations(browser) == [], url


def test_embed_loads_only_on_request(browser, live_server, settings, tmp_path):
    from selenium.webdriver.common.by import By

    from learningpaths.paths.services import content_sync
    from tests.conftest import compile_result, compiled_object

    settings.CONTENT_ASSET_ROOT = tmp_path
    html = (
        '<div class="iframe-container iframe-16-9"><iframe src="https://www.youtube.com/embed/abc" '
        "allowfullscreen></iframe></div>"
    )
    content_sync(result=compile_result([compiled_object("video", html=html)]))
    browser.get(live_server.url + "/objects/video/en/1/")
    frame = browser.find_element(By.CSS_SELECTOR, "iframe")
    assert frame.get_attribute("src") in (None, "") and not frame.is_displayed()
    assert requested_hosts(browser) <= {urlparse(live_server.url).hostname}
    button = browser.find_element(By.CSS_SELECTOR, ".lp-embed-load")
    assert "www.youtube.com" in button.text
    button.click()
    assert frame.get_attribute("src") == "https://www.youtube.com/embed/abc"
