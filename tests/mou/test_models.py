import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mou.models import Deliverable, Mou, QuarterlyReturn
from tests.factories import DeliverableFactory, MouFactory, QuarterlyReturnFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def theme():
    mou = MouFactory(start_year=2030, title="Test MoU", parties="A and B")
    return ThemeFactory(mou=mou, key="test", title="Test theme")


def deliverable(theme, rule=Deliverable.Rule.CUMULATIVE, **kwargs):
    defaults = {"reference": "1", "commitment": "Support councils.", "target": 60, "comparator": "at_least"}
    return DeliverableFactory(theme=theme, rule=rule, **(defaults | kwargs))


def test_mou_year_and_quarters():
    mou = Mou(start_year=2017)
    assert (mou.label, mou.slug) == ("2017/18", "2017-18")
    assert [mou.quarter_end(q) for q in (1, 2, 3, 4)] == [
        datetime.date(2017, 6, 30),
        datetime.date(2017, 9, 30),
        datetime.date(2017, 12, 31),
        datetime.date(2018, 3, 31),
    ]


def test_target_label(theme):
    assert (
        deliverable(theme, unit="peer challenges", target=110).target_label == "at least 110 peer challenges"
    )
    money = Deliverable(rule="cumulative", target=Decimal("10000000"), comparator="at_least", unit="£")
    assert money.target_label == "at least £10,000,000"
    milestone = Deliverable(rule="milestone", due=datetime.date(2017, 7, 31))
    assert milestone.target_label == "by 31 July 2017"


class TestReturnValidation:
    def test_a_negative_figure_is_refused(self, theme):
        record = QuarterlyReturn(deliverable=deliverable(theme), quarter=1, figure=Decimal(-1), rag="green")
        with pytest.raises(ValidationError, match="A figure cannot be negative"):
            record.full_clean()

    def test_a_figure_or_narrative_needs_a_traffic_light(self, theme):
        record = QuarterlyReturn(deliverable=deliverable(theme), quarter=1, figure=Decimal(3))
        with pytest.raises(ValidationError, match="Give the traffic light"):
            record.full_clean()
        record = QuarterlyReturn(
            deliverable=deliverable(theme, reference="2"), quarter=1, narrative="Started."
        )
        with pytest.raises(ValidationError, match="Give the traffic light"):
            record.full_clean()

    def test_a_blank_return_needs_nothing(self, theme):
        QuarterlyReturn(deliverable=deliverable(theme), quarter=1).full_clean()

    def test_a_quarter_outside_the_year_is_refused(self, theme):
        record = QuarterlyReturn(deliverable=deliverable(theme), quarter=5, figure=Decimal(1), rag="green")
        with pytest.raises(ValidationError, match="four quarters"):
            record.full_clean()
        with transaction.atomic(), pytest.raises(IntegrityError):
            record.save()

    def test_a_lower_cumulative_figure_needs_a_correction_reason(self, theme):
        d = deliverable(theme)
        QuarterlyReturnFactory(deliverable=d, quarter=1, figure=Decimal(7), rag="green")
        lower = QuarterlyReturn(deliverable=d, quarter=2, figure=Decimal(5), rag="green")
        with pytest.raises(ValidationError, match="lower than Q1's 7"):
            lower.full_clean()
        lower.correction_reason = "Q1 double-counted two councils."
        lower.full_clean()

    def test_a_lower_additive_figure_is_normal(self, theme):
        d = deliverable(theme, rule=Deliverable.Rule.ADDITIVE)
        QuarterlyReturnFactory(deliverable=d, quarter=1, figure=Decimal(12), rag="green")
        QuarterlyReturn(deliverable=d, quarter=2, figure=Decimal(9), rag="green").full_clean()

    def test_n_a_with_a_figure_is_refused(self, theme):
        record = QuarterlyReturn(
            deliverable=deliverable(theme), quarter=1, figure=1, not_applicable=True, rag="green"
        )
        with pytest.raises(ValidationError, match="Leave the figure blank"):
            record.full_clean()

    def test_one_return_per_deliverable_and_quarter(self, theme):
        d = deliverable(theme)
        QuarterlyReturnFactory(deliverable=d, quarter=1)
        with pytest.raises(ValidationError, match="already has a return for this quarter"):
            QuarterlyReturn(deliverable=d, quarter=1).full_clean()
        with transaction.atomic(), pytest.raises(IntegrityError):
            QuarterlyReturn.objects.create(deliverable=d, quarter=1)


def test_every_change_to_a_figure_is_kept(theme, django_user_model):
    record = QuarterlyReturnFactory(deliverable=deliverable(theme), quarter=1, figure=Decimal(4), rag="amber")
    record.figure = Decimal(6)
    record.save()
    history = list(record.history.order_by("history_date"))
    assert [h.figure for h in history] == [Decimal(4), Decimal(6)]
    assert record.history.as_of(history[0].history_date).figure == Decimal(4)


def test_money_sub_targets_read_like_money():
    from mou.models import SubTarget

    assert (
        str(SubTarget(target=Decimal("25000000"), comparator="at_least", unit="£")) == "at least £25,000,000"
    )
    assert str(SubTarget(target=70, comparator="at_least", unit="peer reviews")) == "at least 70 peer reviews"


def test_money_with_a_description():
    from mou.models import amount_label

    assert (
        amount_label(Decimal("98000000"), "£ reduction in running costs")
        == "£98,000,000 reduction in running costs"
    )
