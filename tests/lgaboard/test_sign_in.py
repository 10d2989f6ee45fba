"""The portal's own sign-in page: members are not staff, so this is the only door they have."""

import pytest
from django.contrib.auth import get_user_model

from meetings.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    user = get_user_model().objects.create_user("judi", password="a-long-test-password", first_name="Judi")
    Person.objects.filter(slug="judi-billing").update(user=user)
    return user


def test_a_member_signs_in_and_returns_to_the_page_she_asked_for(client, member):
    page = client.get("/sign-in/?next=/boards/")
    assert '<h1 class="govuk-heading-xl">Sign in</h1>' in page.text
    assert 'name="next" value="/boards/"' in page.text
    response = client.post(
        "/sign-in/", {"username": "judi", "password": "a-long-test-password", "next": "/boards/"}, follow=True
    )
    assert response.redirect_chain == [("/boards/", 302)]
    assert "Signed in as Judi" in response.text
    sign_out = '<button type="submit" class="app-header__link app-header__button">Sign out</button>'
    assert sign_out in response.text
    # Members are not staff: no way into the admin is offered.
    assert 'class="app-header__link" href="/admin/"' not in response.text


def test_a_wrong_password_is_reported_and_the_username_kept(client, member):
    response = client.post("/sign-in/", {"username": "judi", "password": "wrong"})
    assert response.status_code == 200
    assert "<title>Error: Sign in – Board papers</title>" in response.text
    assert "There is a problem" in response.text
    assert "Please enter a correct username and password" in response.text
    assert 'value="judi"' in response.text
    assert "_auth_user_id" not in client.session


def test_an_empty_form_names_each_missing_field(client):
    response = client.post("/sign-in/", {"username": "", "password": ""})
    assert response.text.count("This field is required.") == 4  # once in the summary, once at the field
    assert '<a href="#id_username">This field is required.</a>' in response.text
    assert '<a href="#id_password">This field is required.</a>' in response.text


def test_the_public_are_offered_sign_in_with_the_way_back(client):
    response = client.get("/boards/")
    assert '<a class="app-header__link" href="/sign-in/?next=/boards/">Sign in</a>' in response.text


def test_signing_out_needs_a_post_and_ends_the_session(client, member):
    client.force_login(member)
    assert client.get("/sign-out/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/sign-out/", follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "_auth_user_id" not in client.session
    assert "Signed in as" not in response.text


def test_staff_are_offered_the_administration(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk-x", password="x", is_staff=True, first_name="Ann")
    client.force_login(clerk)
    response = client.get("/boards/")
    assert '<a class="app-header__link" href="/admin/">Administration</a>' in response.text
