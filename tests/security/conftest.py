"""Fixtures for the security tests: the XSS content compiled by the real compiler, and a browser
probe that reports any payload that ran, any CSP violation, and any dangerous markup in the DOM."""

from __future__ import annotations

import time

import pytest

from learningpaths.core.inline import boot_source
from tests.browser.conftest import browser  # noqa: F401  (the real headless Chromium)

from .payloads import write_content_tree

SEARCH_WORD = "zebrafish"

# Runs before any script of every page the browser opens (Chrome DevTools protocol).
PROBE_INIT = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.violatedDirective} blocked=${e.blockedURI} sample=${e.sample || ''}`);
});
window.alert = window.confirm = window.prompt = function () { window.__xss = 'dialog'; };
"""

PROBE_CHECK = """
const problems = [];
if (window.__xss !== undefined) problems.push('payload ran: ' + window.__xss);
if (document.title === 'XSS') problems.push('payload ran: the title changed');
for (const v of (window.__csp || [])) problems.push('CSP violation: ' + v);
const URL_ATTRS = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'poster', 'background'];
for (const el of document.querySelectorAll('*')) {
  for (const a of el.attributes) {
    const name = a.name.toLowerCase();
    if (name.startsWith('on')) problems.push(`event handler attribute <${el.tagName.toLowerCase()} ${name}>`);
    if (name === 'srcdoc') problems.push(`srcdoc on <${el.tagName.toLowerCase()}>`);
    if (URL_ATTRS.includes(name)) {
      const v = a.value.replace(/[\\s\\x00-\\x1f]/g, '').toLowerCase();
      const imageData = el.tagName === 'IMG' && name === 'src' && v.startsWith('data:image/');
      if (v.startsWith('javascript:') || v.startsWith('vbscript:') || (v.startsWith('data:') && !imageData))
        problems.push(`script URL <${el.tagName.toLowerCase()} ${name}="${a.value.slice(0, 60)}">`);
    }
  }
}
const allowed = arguments[0];  // the one inline script the CSP allows (core/inline.py), to the byte
for (const s of document.querySelectorAll('script')) {
  if (!s.src) {
    if (!/json/.test(s.type) && s.textContent !== allowed) problems.push('inline script: ' + s.textContent.slice(0, 60));
  }
  else if (new URL(s.src).origin !== location.origin) problems.push('foreign script ' + s.src);
}
return problems;
"""


@pytest.fixture
def xss_content(db, settings, tmp_path):
    """The payload tree, compiled by the real compiler and loaded like ``compilecontent`` does."""
    from learningpaths.compiler import compile_content
    from learningpaths.compiler.options import CompileOptions
    from learningpaths.paths.services import content_sync

    settings.CONTENT_ASSET_ROOT = tmp_path / "assets"
    root = write_content_tree(tmp_path / "content", search_word=SEARCH_WORD)
    result = compile_content([root], options=CompileOptions(iframe_allowlist=tuple(settings.IFRAME_ALLOWLIST)))
    assert result.accepted(strict=False), [d.format() for d in result.errors]
    assert {o.key.hruid for o in result.objects} == {"xss_obj", "xss_ret"} and len(result.paths) == 1
    content_sync(result=result)
    return result


@pytest.fixture
def probe(browser):
    """``probe(url)`` opens the page and returns the list of problems found on it."""
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE_INIT})

    def check(url: str, settle: float = 0.3) -> list[str]:
        browser.get(url)
        deadline = time.monotonic() + 10
        while browser.execute_script("return document.readyState") != "complete" and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(settle)  # deferred scripts: widgets, math, the player
        return browser.execute_script(PROBE_CHECK, boot_source())

    return check


def browser_sign_in(browser, live_server, user) -> None:
    """Give the browser a session for ``user`` without typing (the sign-in form has its own tests)."""
    from django.conf import settings as dj_settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    browser.get(live_server.url + "/accounts/sign-in/")
    browser.delete_all_cookies()
    browser.add_cookie(
        {
            "name": dj_settings.SESSION_COOKIE_NAME,
            "value": client.cookies[dj_settings.SESSION_COOKIE_NAME].value,
            "path": "/",
        }
    )
