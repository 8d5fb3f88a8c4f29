from django.urls import reverse


def test_home_page_renders_in_chinese(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "联盟概况" in response.content.decode()
