from __future__ import annotations

from tests.conftest import make_user
from trellis.core.access import Role
from trellis.training import actions, demo


def test_the_demo_clinicians_have_practised_with_figures_to_show(db):
    staff = {name: make_user(name, Role.CLINICIAN) for name in demo.PRACTICE}

    assert demo.load(staff) == 12

    dana = actions.agreement_for(staff["clinician"])
    eli = actions.agreement_for(staff["clinician2"])
    assert (dana.n, dana.observed, dana.kappa_status) == (8, 6 / 8, "defined")
    assert (eli.n, eli.observed, eli.kappa_status) == (4, 3 / 4, "defined")
    assert 0 < dana.plan_agreement < 1
