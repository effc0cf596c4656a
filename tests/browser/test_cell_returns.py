"""A cell's returned value reaches the teacher: `returns=` → lp:return → stored as a submission."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from learningpaths.learning.models import Submission
from learningpaths.paths.services import content_sync
from tests.browser.conftest import sign_in
from tests.conftest import compile_result, compiled_object, compiled_path

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PAGE = (
    '<p>Train.</p><div class="lp-cell" data-lp-cell="1" data-line="5" data-returns="accuracy">'
    '<pre><code class="language-python">accuracy = 0.875</code></pre></div>'
)


def test_returned_value_is_stored_and_checked(browser, live_server, settings, tmp_path, student):
    from learningpaths.runtime.bundle import build_engine_wheel

    build_engine_wheel()
    settings.CONTENT_ASSET_ROOT = tmp_path
    schema = {
        "type": "object",
        "properties": {"accuracy": {"type": "number", "minimum": 0, "maximum": 1}},
        "required": ["accuracy"],
    }
    obj = compiled_object("train", html=PAGE, return_value={"callback_url": "", "callback_schema": schema})
    content_sync(result=compile_result([obj], [compiled_path("p", [obj])]))
    sign_in(browser, live_server, "stud", "pw-student-123")
    browser.get(live_server.url + "/paths/p/en/")
    run = WebDriverWait(browser, 60).until(
        lambda b: next((e for e in b.find_elements(By.CSS_SELECTOR, ".lp-cell button") if "Run" in e.text), None)
    )
    run.click()
    status = WebDriverWait(browser, 90).until(
        lambda b: (b.find_elements(By.CSS_SELECTOR, ".lp-return-status") or [None])[0]
    )
    WebDriverWait(browser, 30).until(lambda b: status.text.strip() not in ("",))
    assert status.text == "Your result was saved."
    (row,) = Submission.objects.filter(user=student, object_hruid="train")
    assert row.question_id == "return_value" and row.answer == {"accuracy": 0.875}
