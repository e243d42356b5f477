"""The person's own app on a phone, in Chromium: every tool completed and its result seen, the
crisis button on every page, and the coping toolbox and crisis page working offline."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_page_checks import check
from tests.conftest import PASSWORD

APP = [
    "/me/",
    "/me/check-in/",
    "/me/check-ins/",
    "/me/journal/",
    "/me/insights/",
    "/me/goals/",
    "/me/coping/",
    "/me/exercises/urge-surfing/",
    "/me/relapse-prevention/",
    "/me/lifestyle/",
    "/me/self-care/",
    "/me/assertive/",
    "/me/problem-solving/",
    "/me/self-compassion/",
    "/me/mindfulness/",
    "/me/timeline/",
    "/me/reminders/",
]


def person_tab(visit, size=PHONE):
    tab = visit(size)
    tab.sign_in("pat", PASSWORD)
    tab.page.wait_for_url("**/me/")
    return tab


def test_every_page_has_the_crisis_button_and_passes_the_page_checks(visit, pat, plan):
    from trellis.recovery.demo import load

    load(pat.person, timezone.localdate(), full=True)  # tables and charts with rows in them
    tab = person_tab(visit)
    for url in APP:
        tab.page.goto(url)
        expect(tab.page.get_by_role("link", name="Crisis help")).to_be_visible()
        check(tab, "me" + url.strip("/").replace("/", "-")[2:] + "-phone")
    tab.page.goto(f"/plans/{plan.public_id}/")
    tab.page.get_by_role("link", name="Crisis help").click()
    expect(tab.page.get_by_role("heading", level=1)).to_have_text("Crisis help")
    expect(tab.page.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    check(tab, "me-crisis-phone")
    tab.page.get_by_label("Language").select_option("es")
    tab.page.get_by_role("button", name="Change").click()
    for url in APP:  # Spanish words are longer: still no sideways scrolling
        tab.page.goto(url)
        expect(tab.page.get_by_role("link", name="Ayuda en crisis")).to_be_visible()
        check(tab, "me" + url.strip("/").replace("/", "-")[2:] + "-phone-es")
    desktop = person_tab(visit, DESKTOP)
    check(desktop, "me-home-desktop")


def test_checkin_journal_insights_and_support(visit, pat):
    tab = person_tab(visit)
    page = tab.page
    page.get_by_role("link", name="Relapse prevention").click()
    page.get_by_label("Person to call 1").fill("Alex")
    page.get_by_label("Their phone number").first.fill("555 0100")
    page.get_by_role("button", name="Save plan").click()

    page.goto("/me/check-in/")
    page.get_by_label("Craving (0 = none, 10 = the strongest)").fill("11")
    page.get_by_label("Mood (0 = very low, 10 = very good)").fill("4")
    page.get_by_label("Hours of sleep last night").fill("5")
    page.get_by_label("Boredom").check()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.locator("#id_craving_error")).to_contain_text("A whole number from 0 to 10")
    check(tab, "me-checkin-error-phone")
    page.get_by_label("Craving (0 = none, 10 = the strongest)").fill("8")
    page.get_by_label("Coping strategy 1").select_option("called-someone")
    page.get_by_label("How much it helped (0-10)").first.select_option("9")
    page.get_by_role("button", name="Save check-in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Support for right now")
    expect(page.get_by_role("link", name="Call Alex")).to_have_attribute("href", "tel:555 0100")
    expect(page.locator("main")).to_contain_text("Called or texted someone")
    check(tab, "me-support-phone")

    page.goto("/me/journal/")
    page.get_by_label("Craving (0 = none, 10 = the strongest)").fill("7")
    page.get_by_label("Stress or pressure").check()
    page.get_by_label("Thoughts and feelings").fill("Tense after the phone call")
    page.get_by_role("button", name="Save entry").click()
    expect(page.locator(".journal-entry")).to_contain_text("Tense after the phone call")

    page.goto("/me/insights/")
    expect(page.locator("main")).to_contain_text("Stress or pressure")
    expect(page.locator("main")).to_contain_text("Called or texted someone")
    check(tab, "me-insights-phone")
    page.goto("/me/check-ins/")
    expect(page.locator("svg.chart")).to_have_count(3)
    check(tab, "me-checkins-phone")


def test_goal_lifestyle_self_care_assertive_problem_solving(visit, pat):
    tab = person_tab(visit)
    page = tab.page
    due = (timezone.localdate() + timedelta(days=30)).isoformat()

    page.goto("/me/goals/")
    page.get_by_label("My goal (specific: what will I do?)").fill("Walk to the park after work")
    page.get_by_role("button", name="Save goal").click()
    expect(page.locator("#id_target_error")).to_be_visible()
    page.get_by_label("How I will measure it").fill("walks")
    page.get_by_label("Target").fill("4 a week")
    page.get_by_label("How sure am I that I can do it? (0-10)").fill("7")
    page.get_by_label("Why it matters to me").fill("I sleep better")
    page.get_by_label("By when").fill(due)
    page.get_by_role("button", name="Save goal").click()
    page.get_by_role("link", name="Walk to the park after work").click()
    page.get_by_label("How far along (%)").fill("25")
    page.get_by_role("button", name="Save progress").click()
    expect(page.locator("main")).to_contain_text("25%")

    page.goto("/me/lifestyle/")
    page.locator("#id_exercise-amount").fill("40")
    page.locator("form", has=page.locator("#id_exercise-amount")).get_by_role("button").click()
    expect(page.locator("table.weeks")).to_contain_text("40")

    page.goto("/me/self-care/")
    page.get_by_role("textbox", name="Activity").fill("Guitar for half an hour")
    page.get_by_role("button", name="Add to my plan").click()
    page.get_by_role("button", name="It happened").click()
    expect(page.locator("main")).to_contain_text("1 happened")

    page.goto("/me/assertive/")
    page.get_by_label("Saying no").check()
    page.get_by_label("A name for this script").fill("Old friends")
    page.get_by_label("Describe the situation (facts only)").fill("You asked me to come drinking.")
    page.get_by_label("Express how you feel (I feel …)").fill("I feel torn.")
    page.get_by_label("Assert: say clearly what you want or will not do").fill(
        "I'm not coming tonight."
    )
    page.get_by_label("Reinforce: why it is good for both of you").fill(
        "Let's get breakfast instead."
    )
    page.get_by_role("button", name="Save script").click()
    expect(page.locator(".script")).to_contain_text("I'm not coming tonight.")

    page.goto("/me/problem-solving/")
    page.get_by_label("1. Define the problem").fill("No ride to group on Tuesdays")
    page.get_by_label("Option 1", exact=True).fill("Take the bus")
    page.get_by_label("Option 2", exact=True).fill("Ask my cousin")
    page.get_by_label("4. Choose an option").select_option("1")
    page.get_by_label("5. Plan the steps").fill("Check the timetable tonight")
    page.get_by_role("button", name="Save worksheet").click()
    page.get_by_label("6. Review: how did it go?").fill("Bus worked, 20 minutes")
    page.get_by_role("button", name="Save worksheet").click()
    expect(page.get_by_label("6. Review: how did it go?")).to_have_value("Bus worked, 20 minutes")
    check(tab, "me-problem-solving-phone")


def test_guided_exercises_run_on_the_page_and_are_logged(visit, pat):
    tab = person_tab(visit)
    page = tab.page
    page.clock.install()

    page.goto("/me/exercises/paced-breathing/")
    page.get_by_role("button", name="Start").click()
    expect(page.locator("[data-phase]")).to_contain_text("Breathe in")
    page.clock.run_for(5_000)
    expect(page.locator("[data-phase]")).to_contain_text("Breathe out")
    check(tab, "me-breathing-running-phone")
    page.clock.run_for(3 * 60_000)
    expect(page.get_by_text("Well done. Notice how you feel now.")).to_be_visible()
    page.get_by_role("button", name="Save to my log").click()

    page.goto("/me/exercises/grounding-54321/")
    page.get_by_role("button", name="Start").click()
    expect(page.locator("li.current")).to_contain_text("five things you can see")
    page.get_by_role("button", name="Next step").click()
    expect(page.locator("li.current")).to_contain_text("four things you can touch")
    page.clock.run_for(10 * 60_000)
    expect(page.get_by_text("Well done. Notice how you feel now.")).to_be_visible()

    page.goto("/me/coping/")
    page.get_by_role("textbox", name="My distraction list").fill("Walk the dog\nCall my sister")
    page.get_by_role("button", name="Save list").click()
    expect(page.locator(".distractions")).to_contain_text("Walk the dog")

    for exercise, start_page in (
        ("leaves-on-a-stream", "/me/mindfulness/"),
        ("self-compassion-break", "/me/self-compassion/"),
    ):
        page.goto(f"/me/exercises/{exercise}/")
        page.get_by_role("button", name="Start").click()
        page.clock.run_for(15 * 60_000)
        expect(page.get_by_text("Well done. Notice how you feel now.")).to_be_visible()
        page.get_by_role("button", name="Save to my log").click()
        page.wait_for_url(f"**{start_page}")
    expect(page.locator("main")).to_contain_text("Self-compassion break")
    page.goto("/me/mindfulness/")
    expect(page.locator("main")).to_contain_text("Leaves on a stream,")
    page.goto("/me/self-compassion/")
    page.get_by_label("My letter").fill("You are learning, and that takes courage.")
    page.get_by_role("button", name="Save letter").click()
    expect(page.locator(".letter")).to_contain_text("takes courage")


def test_timeline_and_relapse_plan_wallet_card(visit, pat):
    tab = person_tab(visit)
    page = tab.page
    page.goto("/me/timeline/")
    page.get_by_label("Date").fill((timezone.localdate() - timedelta(days=31)).isoformat())
    page.get_by_role("button", name="Start counting").click()
    expect(page.locator(".milestones")).to_contain_text("30 days")
    check(tab, "me-timeline-phone")

    page.goto("/me/relapse-prevention/")
    page.get_by_label("My warning signs").fill("Skipping meals")
    page.get_by_label("High-risk situation 1").fill("Payday")
    page.get_by_label("What I will do instead").first.fill("Pay bills first, then a meeting")
    page.get_by_label("My reasons for recovery").fill("My daughter")
    page.get_by_role("button", name="Save plan").click()
    card = page.request.get("/me/relapse-prevention/wallet-card.pdf")
    assert card.ok
    assert card.body().startswith(b"%PDF")


def test_coping_toolbox_and_crisis_page_open_offline(visit, pat):
    tab = person_tab(visit)
    page = tab.page
    page.goto("/me/coping/")
    page.wait_for_function(
        "async () => { const r = await navigator.serviceWorker.ready; "
        "return !!r.active && !!(await caches.match('/me/coping/')) && !!(await caches.match('/me/crisis/')); }"
    )

    tab.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coping toolbox")
    page.goto("/me/crisis/")
    expect(page.get_by_role("link", name="Call 988")).to_be_visible()
    check(tab, "me-offline-crisis-phone")
    tab.context.set_offline(False)
