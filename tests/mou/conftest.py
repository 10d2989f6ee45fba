import pytest

from tests.factories import DeliverableFactory, MouFactory, QuarterlyReturnFactory, ThemeFactory


@pytest.fixture
def mou():
    mou = MouFactory(start_year=2030, title="Programme 2030/31", parties="LGA and DCLG", grant=21000000)
    peer = ThemeFactory(mou=mou, key="peer", order=1, title="Peer support and challenge")
    leads = ThemeFactory(mou=mou, key="leads", order=2, title="Leadership")
    additive = DeliverableFactory(
        theme=peer, reference="1", order=1, commitment="**Deliver at least 30 peer challenges.**",
        target=30, comparator="at_least", unit="peer challenges", rule="additive",
    )  # fmt: skip
    cumulative = DeliverableFactory(
        theme=leads, reference="3", order=1, commitment="Support at least 60 councils.",
        target=60, comparator="at_least", unit="councils", rule="cumulative",
    )  # fmt: skip
    DeliverableFactory(theme=leads, reference="6", order=2, commitment="Refresh e-learning.")
    QuarterlyReturnFactory(deliverable=additive, quarter=1, figure=12, rag="green", narrative="12 delivered")
    QuarterlyReturnFactory(
        deliverable=additive, quarter=2, figure=9, rag="amber", narrative="9 more", commentary="On track"
    )
    QuarterlyReturnFactory(deliverable=cumulative, quarter=1, not_applicable=True)
    QuarterlyReturnFactory(deliverable=cumulative, quarter=2, figure=41, rag="red", narrative="41 councils")
    return mou
