"""Training mode pages: answering a vignette, the comparison, bad input, agreement, access.

dana and eli: clinicians (trainees).  sam: supervisor.  pat: a person in recovery.
fran: family member.  nia: navigator.  rae: researcher.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection

from tests.conftest import sign_in
from trellis.assessments.actions import make_plan
from trellis.audit.models import AuditEvent
from trellis.knowledge import version
from trellis.knowledge.vignettes import vignettes
from trellis.training import actions
from trellis.training.models import TrainingAnswer

CASE = "fentanyl-overdoses"


def _post(client, **data):
    return client.post("/training/answers/", {"vignette": CASE, **data})


def test_a_clinician_answers_a_vignette_and_sees_the_reference_and_the_differences(client, dana):
    sign_in(client, dana)
    page = client.get(f"/training/vignettes/{CASE}/")
    assert page.status_code == 200
    assert "revived with naloxone twice" in page.content.decode()

    response = _post(
        client,
        level="2.1",
        codes=["safety.naloxone", "med.buprenorphine", "hol.sleep"],
        note="Unsure",
    )

    answer = TrainingAnswer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/training/answers/{answer.public_id}/"
    engine = make_plan(vignettes()[CASE].intake)
    assert (answer.reference_level, answer.kb_version) == (engine["placement"]["level"], version())
    assert answer.reference_level == "3.5"
    assert "safety.naloxone" in answer.reference_codes
    assert answer.codes == ["hol.sleep", "med.buprenorphine", "safety.naloxone"]
    event = AuditEvent.objects.get(object_type="TrainingAnswer")
    assert (event.actor, event.action, event.object_id) == (
        dana.user,
        "create",
        str(answer.public_id),
    )
    assert event.detail == {"vignette": CASE, "kb_version": version()}

    shown = client.get(response["Location"]).content.decode()
    assert "Less intensive than the reference, by 3 levels." in shown
    assert "2 overdose(s) in the past year with continued opioid use" in shown
    assert "Sleep hygiene" in shown  # chosen, not in the reference
    assert "Unsure" in shown


def test_the_note_is_stored_encrypted(client, dana):
    sign_in(client, dana)
    _post(client, level="3.5", codes=["safety.naloxone"], note="Would start buprenorphine")

    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM training_traininganswer")
        stored = cursor.fetchone()[0]

    assert "buprenorphine" not in stored
    assert TrainingAnswer.objects.get().note == "Would start buprenorphine"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"level": "1.5"}, "Level of care must be one of 0.5, 1.0, 2.1, 2.5, 3.1, 3.5, 3.7, 4.0."),
        ({}, "Level of care: choose one."),
        (
            {"level": "1.0", "codes": ["psy.mi", "psy.magic"]},
            "Interventions must be codes from the knowledge base.",
        ),
        (
            {"level": "1.0", "vignette": "no-such-case"},
            "Vignette must be one of the training vignettes.",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(client, dana, data, message):
    sign_in(client, dana)

    response = _post(client, **data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert TrainingAnswer.objects.count() == 0
    assert not AuditEvent.objects.filter(object_type="TrainingAnswer").exists()


def test_re_answering_keeps_the_history_and_agreement_uses_the_latest_answer(client, dana):
    sign_in(client, dana)
    _post(client, level="1.0", codes=["safety.naloxone"])
    _post(client, level="3.5", codes=["safety.naloxone"])

    home = client.get("/training/").content.decode()

    assert TrainingAnswer.objects.filter(trainee=dana.user).count() == 2
    assert actions.agreement_for(dana.user).n == 1
    assert actions.agreement_for(dana.user).observed == 1.0
    assert "not enough answers (at least 2 needed)" in home


def test_another_trainees_answer_is_not_found(client, dana, eli):
    answer = actions.record_answer(dana.user, vignette_id=CASE, level="3.5", codes=[])
    sign_in(client, eli)

    assert client.get(f"/training/answers/{answer.public_id}/").status_code == 404
    assert client.get("/training/answers/00000000-0000-4000-8000-000000000000/").status_code == 404
    assert client.get("/training/vignettes/no-such-case/").status_code == 404


def test_the_supervisor_sees_each_trainees_agreement_and_downloads_it(client, dana, eli, sam):
    actions.record_answer(dana.user, vignette_id="early-risky-drinking", level="0.5", codes=[])
    actions.record_answer(dana.user, vignette_id="mild-alcohol-anxiety", level="2.1", codes=[])
    actions.record_answer(eli.user, vignette_id=CASE, level="3.5", codes=[])
    sign_in(client, sam)

    page = client.get("/training/agreement/").content.decode()
    download = client.get("/training/agreement.csv")

    assert page.count('data-testid="agreement-row"') == 2
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    # dana: 0.5/0.5 and 2.1 against 1.0: po = 1/2; pe = (1/2)(1/2) + 0 = 1/4; kappa = 1/3.
    assert rows[0] == {
        "trainee": "dana",
        "n": "2",
        "observed_agreement": "0.500",
        "kappa": "0.333",
        "kappa_status": "defined",
        "plan_jaccard": "0.000",
    }
    assert (rows[1]["trainee"], rows[1]["kappa"], rows[1]["kappa_status"]) == ("eli", "", "too_few")
    assert AuditEvent.objects.filter(actor=sam.user, object_type="TrainingAgreement").count() == 2


@pytest.mark.parametrize("persona", ["pat", "fran", "nia", "rae"])
def test_people_families_navigators_and_researchers_are_refused(client, persona, request):
    who = request.getfixturevalue(persona)
    sign_in(client, who)

    answers = [
        client.get("/training/").status_code,
        client.get(f"/training/vignettes/{CASE}/").status_code,
        client.post("/training/answers/", {"vignette": CASE, "level": "1.0"}).status_code,
        client.get("/training/agreement/").status_code,
    ]

    assert answers == [404, 404, 404, 404]
    assert TrainingAnswer.objects.count() == 0


def test_a_clinician_may_practise_but_not_see_the_supervisors_table(client, dana):
    sign_in(client, dana)

    assert client.get("/training/").status_code == 200
    assert client.get("/training/agreement/").status_code == 404
    assert client.get("/training/agreement.csv").status_code == 404


def test_an_answer_from_an_earlier_knowledge_base_says_the_reference_may_have_changed(client, dana):
    answer = actions.record_answer(dana.user, vignette_id=CASE, level="3.5", codes=[])
    TrainingAnswer.objects.filter(pk=answer.pk).update(kb_version="2025.1.1")
    sign_in(client, dana)

    page = client.get(f"/training/answers/{answer.public_id}/").content.decode()
    fresh = client.get(
        f"/training/answers/{actions.record_answer(dana.user, vignette_id=CASE, level='3.5', codes=[]).public_id}/"
    ).content.decode()

    assert f"The knowledge base has changed since (now {version()})" in page
    assert "reference from knowledge base 2025.1.1" in page
    assert 'data-testid="kb-changed"' not in fresh
