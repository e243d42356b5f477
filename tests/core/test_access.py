import pytest

from trellis.core.access import Relationship, Role, may_break_glass, may_read, may_write

R = Relationship

# Expected read access for every role × relationship (foundation rules: no consent-scoped access yet).
READ = {
    Role.PERSON: {R.SELF},
    Role.CLINICIAN: {R.CARE_TEAM, R.BREAK_GLASS},
    Role.SUPERVISOR: {R.CARE_TEAM, R.BREAK_GLASS},
    Role.NAVIGATOR: set(),
    Role.FAMILY: set(),
    Role.ADMIN: set(),
    Role.RESEARCHER: set(),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("relationship", list(Relationship))
def test_read_access_follows_the_matrix(role, relationship):
    assert may_read(role, relationship) is (relationship in READ[role])


def test_no_one_reads_a_person_without_a_relationship():
    assert not any(may_read(role, R.NONE) for role in Role)


def test_break_glass_access_is_read_only():
    assert may_read(Role.CLINICIAN, R.BREAK_GLASS)
    assert not may_write(Role.CLINICIAN, R.BREAK_GLASS)


def test_a_person_may_write_their_own_record_and_a_navigator_may_not_write_clinical_data():
    assert may_write(Role.PERSON, R.SELF)
    assert not may_write(Role.NAVIGATOR, R.CARE_TEAM)
    assert may_write(Role.CLINICIAN, R.CARE_TEAM)


def test_only_clinicians_and_supervisors_outside_the_team_may_break_glass():
    allowed = {role for role in Role if may_break_glass(role, R.NONE)}
    assert allowed == {Role.CLINICIAN, Role.SUPERVISOR}
    assert not may_break_glass(Role.CLINICIAN, R.CARE_TEAM)
