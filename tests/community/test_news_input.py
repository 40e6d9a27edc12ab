"""Bad input is refused by field and nothing is half-saved: titles, kinds, tags, covers, enterprises, region."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sanlian.community.models import Article, Tag
from sanlian.community.services.news import article_create, tag_names
from tests import factories

from .news_helpers import NOW, PNG, article_data

pytestmark = pytest.mark.django_db


def refused_fields(officer, **kwargs) -> set[str]:
    with pytest.raises(ValidationError) as refused:
        article_create(actor=officer, region=kwargs.pop("region", officer.region), now=NOW, **kwargs)
    return set(refused.value.message_dict)


def test_an_empty_title_body_and_an_unknown_kind_are_refused_by_field(pujiang_officer):
    fields = refused_fields(pujiang_officer, data=article_data(title="  ", body="", kind="gossip"))

    assert fields == {"title", "body", "kind"}
    assert not Article.objects.exists()


def test_a_pdf_posing_as_a_cover_and_an_oversized_image_are_refused(pujiang_officer):
    pdf = SimpleUploadedFile("cover.png", b"%PDF-1.4\n" + b"0" * 100, content_type="image/png")
    huge = SimpleUploadedFile("cover.png", PNG + b"0" * (2 * 1024 * 1024), content_type="image/png")

    assert refused_fields(pujiang_officer, data=article_data(), cover=pdf) == {"cover"}
    assert refused_fields(pujiang_officer, data=article_data(), cover=huge) == {"cover"}
    assert not Article.objects.exists()


def test_a_png_cover_is_stored_with_the_extension_of_its_content(pujiang_officer):
    cover = SimpleUploadedFile("photo.jpeg", PNG, content_type="image/jpeg")

    article = article_create(actor=pujiang_officer, data=article_data(), region=pujiang_officer.region, cover=cover,
                             now=NOW)  # fmt: skip

    assert article.cover.name.endswith(".png")


def test_too_many_tags_are_refused_and_tags_are_normalised(pujiang_officer):
    assert refused_fields(pujiang_officer, data=article_data(), tags=[f"t{i}" for i in range(9)]) == {"tags"}
    assert tag_names("#人才, 人才、 ＧＭＰ  政策") == ["人才", "GMP", "政策"]
    assert not Tag.objects.exists()


def test_another_towns_region_and_an_enterprise_out_of_scope_are_refused(pujiang_officer, xinzhuang_officer):
    outside = factories.enterprise("xinzhuang")

    assert refused_fields(pujiang_officer, data=article_data(), region=xinzhuang_officer.region) == {"region"}
    assert refused_fields(pujiang_officer, data=article_data(), enterprises=[outside]) == {"enterprises"}
    assert not Article.objects.exists()


def test_an_enterprise_user_cannot_write_news(enterprise_admin):
    with pytest.raises(PermissionDenied):
        article_create(actor=enterprise_admin, data=article_data(), region=enterprise_admin.enterprise.town, now=NOW)
