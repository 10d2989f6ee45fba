"""The combining rules and percentages, with the cases the board uses."""

from decimal import Decimal

import pytest

from mou.rules import ADDITIVE, CUMULATIVE, MILESTONE, NARRATIVE, percent_achieved, total_to_date


def figures(*values):
    return {quarter: None if v is None else Decimal(v) for quarter, v in enumerate(values, start=1)}


@pytest.mark.parametrize(
    ("rule", "quarters", "total"),
    [
        (ADDITIVE, figures(12, 9), 21),  # each quarter's deliveries add up
        (CUMULATIVE, figures(7, 7), 7),  # the same councils all year count once
        (CUMULATIVE, figures(4, 6), 6),  # the latest position to date
        (CUMULATIVE, figures(None, 40), 40),  # n/a (or blank) then 40
        (ADDITIVE, figures(None, 40), 40),
        (CUMULATIVE, figures(4, None, None), 4),  # a later blank quarter does not reset the position
        (ADDITIVE, figures(1, 2, 3, 4), 10),
    ],
)
def test_total_to_date(rule, quarters, total):
    assert total_to_date(rule, quarters) == Decimal(total)


@pytest.mark.parametrize("rule", [ADDITIVE, CUMULATIVE, MILESTONE, NARRATIVE])
def test_nothing_reported_is_no_total_not_zero(rule):
    assert total_to_date(rule, figures(None, None)) is None


def test_milestones_and_narrative_deliverables_have_no_numeric_total():
    assert total_to_date(MILESTONE, figures(1)) is None
    assert total_to_date(NARRATIVE, figures(5)) is None


@pytest.mark.parametrize(
    ("total", "target", "percent"),
    [(41, 60, 68), (1, 8, 13), (31, 110, 28), (131, 100, 131), (0, 10, 0), (1, 200, 1), (1, 400, 0)],
)
def test_percent_achieved_rounds_half_up_and_may_exceed_100(total, target, percent):
    assert percent_achieved(Decimal(total), Decimal(target)) == percent


def test_no_percentage_without_a_total_or_a_target():
    assert percent_achieved(None, Decimal(10)) is None
    assert percent_achieved(Decimal(5), None) is None


@pytest.mark.parametrize(
    ("rule", "comparator", "total", "target", "met", "rag", "expected"),
    [
        (ADDITIVE, "at_least", 110, 110, None, "", "met"),
        (ADDITIVE, "at_least", 109, 110, None, "", "partial"),
        (CUMULATIVE, "at_least", 0, 10, None, "", "not_met"),
        (CUMULATIVE, "at_least", None, 10, None, "green", "not_reported"),
        (CUMULATIVE, "up_to", 6, 10, None, "", "met"),
        (CUMULATIVE, "exactly", 20, 20, None, "", "met"),
        (MILESTONE, "", None, None, True, "", "met"),
        (MILESTONE, "", None, None, False, "", "not_met"),
        (MILESTONE, "", None, None, None, "green", "not_reported"),
        (NARRATIVE, "", None, None, None, "green", "met"),
        (NARRATIVE, "", None, None, None, "amber", "partial"),
        (NARRATIVE, "", None, None, None, "red", "not_met"),
        (NARRATIVE, "", None, None, None, "", "not_reported"),
    ],
)
def test_outturn(rule, comparator, total, target, met, rag, expected):
    from mou.rules import outturn

    value = outturn(
        rule=rule,
        comparator=comparator,
        total=None if total is None else Decimal(total),
        target=None if target is None else Decimal(target),
        milestone_met=met,
        rag=rag,
    )
    assert value == expected
