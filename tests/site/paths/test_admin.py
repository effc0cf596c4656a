"""The compiled content is visible in the admin, read-only (compilecontent owns it)."""

import pytest
from django.urls import reverse

from learningpaths.paths.models import LearningObject, LearningPath, ObjectAsset, PathNode, PathTransition, Question

MODELS = [LearningObject, LearningPath, ObjectAsset, Question, PathNode, PathTransition]


@pytest.fixture
def admin_client_with_content(client, django_user_model, sample_site):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw-root-123456")
    client.force_login(admin)
    return client


def url(model, view, *args):
    return reverse(f"admin:paths_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_answers_and_offers_no_add(admin_client_with_content, model):
    response = admin_client_with_content.get(url(model, "changelist"))
    assert response.status_code == 200
    assert url(model, "add") not in response.content.decode()
    assert "delete_selected" not in response.content.decode()


def test_changelist_search_and_filters(admin_client_with_content):
    response = admin_client_with_content.get(url(LearningObject, "changelist"), {"q": "neuron"})
    page = response.content.decode()
    assert response.status_code == 200 and "A neuron" in page and "Introduction" not in page
    response = admin_client_with_content.get(url(LearningObject, "changelist"), {"teacher_exclusive__exact": "1"})
    page = response.content.decode()
    assert "Teacher guide" in page and "A neuron" not in page


def test_change_view_is_read_only(admin_client_with_content):
    obj = LearningObject.objects.get(hruid="neuron")
    response = admin_client_with_content.get(url(LearningObject, "change", obj.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "A neuron" in page and 'name="title"' not in page  # shown, not an input
    path = LearningPath.objects.get(hruid="deep")
    assert admin_client_with_content.get(url(LearningPath, "change", path.pk)).status_code == 200


def test_post_to_change_add_and_delete_are_refused(admin_client_with_content):
    obj = LearningObject.objects.get(hruid="neuron")
    response = admin_client_with_content.post(url(LearningObject, "change", obj.pk), {"title": "Hacked"})
    assert response.status_code == 403
    assert LearningObject.objects.get(pk=obj.pk).title == "A neuron"
    assert admin_client_with_content.get(url(LearningObject, "add")).status_code == 403
    assert admin_client_with_content.post(url(LearningObject, "add"), {"hruid": "x"}).status_code == 403
    assert admin_client_with_content.post(url(LearningObject, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert LearningObject.objects.filter(pk=obj.pk).exists()
