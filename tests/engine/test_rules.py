"""The rules a table holds beyond fixed durations: derived due times, armed timers, effects, guards.

A toy vendor: a build whose RUNNING timer fires at its `deadline` field, a LINGERING timer armed only
for builds that `linger`, effects that record the steps, and a `finish` action with guards.
"""
import pytest

from simulator.engine import Ignore, Lifecycle, LifecycleError, Move, Reject, Simulation, Timed, When
from simulator.engine.scenario import ScenarioError, parse_scenario

from .toy import Toy

T0 = 1_000_000


def _note(text):
    def effect(resource, at, params):
        resource.fields.setdefault("notes", []).append((at - T0, text, dict(params)))
    return effect


def _deadline(resource, entered_at):
    return resource.fields["deadline"]


def _lingers(resource):
    return resource.fields.get("linger", False)


def _flagged(resource, at, params):
    return params.get("flag") == "bad"


def _locked(resource, at, params):
    return resource.fields.get("locked", False)


def _finished(resource, at, params):
    resource.fields["finished_by"] = params.get("who")
    resource.fields["linger"] = params.get("linger", False)  # set before the new state's timer is armed


STATES = ("QUEUED", "RUNNING", "LINGERING", "DONE", "FAILED")
BUILD = Lifecycle(
    vendor="toy",
    kind="build",
    states=STATES,
    initial="QUEUED",
    timed={
        "QUEUED": Timed("RUNNING", 2.0, effects={"RUNNING": _note("started")}),
        "RUNNING": Timed("DONE", None, due=_deadline, effects={"DONE": _note("timed out")}),
        "LINGERING": Timed("DONE", 10.0, when=_lingers),
    },
    actions={
        "finish": {
            "QUEUED": Reject("not_started"),
            "RUNNING": (
                When(_locked, Reject("locked")),
                When(_flagged, Move("FAILED", effect=_note("flagged"))),
                Move("LINGERING", effect=_finished),
            ),
            "LINGERING": Ignore(),
            "DONE": Ignore(),
            "FAILED": Ignore(),
        },
        "touch": {state: Ignore(effect=_note("touched")) for state in STATES},
    },
)


@pytest.fixture
def sim():
    simulation = Simulation({"toy": Toy((BUILD,))})
    simulation.clock.configure(frozen=True, now=T0)
    return simulation


def _running(sim, deadline=T0 + 30.0, **fields):
    with sim.transaction() as tx:
        return tx.create("toy", "build", "1", state="RUNNING", fields={"deadline": deadline, **fields})


def _read(sim):
    with sim.transaction() as tx:
        return tx.get("toy", "build", "1")


def _act(sim, action, params=None, **kwargs):
    with sim.transaction() as tx:
        return tx.act(tx.get("toy", "build", "1"), action, params, **kwargs)


# --- timers whose due time is derived from the resource -------------------------------------------

def test_a_derived_timer_fires_at_the_time_the_resource_gives(sim):
    build = _running(sim, deadline=T0 + 42.5)
    assert build.due_at == T0 + 42.5
    sim.clock.advance(42.4)
    assert _read(sim).state == "RUNNING"
    sim.clock.advance(0.1)
    build = _read(sim)
    assert build.state == "DONE"
    assert [(h.state, h.at - T0) for h in build.history] == [("RUNNING", 0), ("DONE", 42.5)]


def test_remaining_time_still_places_a_seeded_derived_timer(sim):
    with sim.transaction() as tx:
        build = tx.create("toy", "build", "1", state="RUNNING", fields={"deadline": T0 + 500}, remaining=7)
    assert (build.due_at, build.entered_at) == (T0 + 7, T0)
    sim.clock.advance(7)
    assert _read(sim).state == "DONE"


def test_scenario_timing_for_a_derived_state_is_refused_with_the_reason(sim):
    with pytest.raises(ScenarioError) as refused:
        parse_scenario({"name": "t", "timing": {"toy.build": {"RUNNING": "5s"}}}, sim.vendors)
    assert [(p.path, p.message) for p in refused.value.problems] == [(
        "timing.toy.build.RUNNING",
        "toy.build derives when RUNNING ends from each resource, so it has no duration to override; "
        "durations can be set for: LINGERING, QUEUED",
    )]
    document = {"name": "t", "resources": [{"vendor": "toy", "kind": "build", "id": "1", "timing": {"RUNNING": 5}}]}
    with pytest.raises(ScenarioError) as refused:
        parse_scenario(document, sim.vendors)
    assert [p.path for p in refused.value.problems] == ["resources[0].timing.RUNNING"]
    assert "derives when RUNNING ends" in refused.value.problems[0].message


def test_scenario_timing_still_overrides_the_fixed_durations_beside_a_derived_one(sim):
    sim.load(parse_scenario({"name": "t", "timing": {"toy.build": {"QUEUED": "1m"}}}, sim.vendors))
    with sim.transaction() as tx:
        build = tx.create("toy", "build", "1", fields={"deadline": T0 + 500})
    assert build.due_at == T0 + 60


# --- timers armed only where a condition holds ------------------------------------------------------

def test_an_unarmed_timer_waits_for_an_action_and_shows_no_next_step(sim):
    with sim.transaction() as tx:
        build = tx.create("toy", "build", "1", state="LINGERING", fields={"deadline": 0})
        assert build.due_at is None and tx.next_due(build) is None
    sim.clock.advance(1000)
    assert _read(sim).state == "LINGERING"


def test_an_armed_timer_runs_its_duration_and_takes_a_resource_override(sim):
    with sim.transaction() as tx:
        tx.create("toy", "build", "1", state="LINGERING", fields={"linger": True, "deadline": 0},
                  timing={"LINGERING": 3.0})
    sim.clock.advance(3)
    build = _read(sim)
    assert build.state == "DONE" and build.history[-1].at == T0 + 3


# --- effects ----------------------------------------------------------------------------------------

def test_a_timer_effect_runs_for_its_target_at_the_virtual_time_it_was_due(sim):
    with sim.transaction() as tx:
        tx.create("toy", "build", "1", fields={"deadline": T0 + 9})
    sim.clock.advance(100)  # one read replays QUEUED -> RUNNING -> DONE
    build = _read(sim)
    assert build.state == "DONE"
    assert build.fields["notes"] == [(2.0, "started", {}), (9.0, "timed out", {})]


# --- actions with guards ------------------------------------------------------------------------------

def test_the_first_guard_that_holds_decides_else_the_default(sim):
    _running(sim)
    sim.clock.advance(5)
    outcome = _act(sim, "finish", {"flag": "bad"})
    build = _read(sim)
    assert outcome == BUILD.actions["finish"]["RUNNING"][1].then
    assert build.state == "FAILED" and build.fields["notes"] == [(5.0, "flagged", {"flag": "bad"})]
    assert build.history[-1].cause == "action:finish" and build.due_at is None


def test_the_default_move_runs_its_effect_before_the_new_state_is_armed(sim):
    _running(sim)
    _act(sim, "finish", {"who": "ci", "linger": True})
    build = _read(sim)
    assert (build.state, build.fields["finished_by"], build.due_at) == ("LINGERING", "ci", T0 + 10)


def test_an_ignore_keeps_the_state_and_timer_yet_its_effect_changes_fields(sim):
    _running(sim)
    sim.clock.advance(3)
    _act(sim, "touch", {"by": "ops"})
    build = _read(sim)
    assert (build.state, build.due_at, len(build.history)) == ("RUNNING", T0 + 30, 1)
    assert build.fields["notes"] == [(3.0, "touched", {"by": "ops"})]


def test_a_guarded_reject_refuses_and_changes_nothing(sim):
    _running(sim, locked=True)
    with pytest.raises(LifecycleError) as refused:
        _act(sim, "finish", {"flag": "bad"})
    assert refused.value.error == "locked"
    build = _read(sim)
    assert build.state == "RUNNING" and "notes" not in build.fields and len(build.history) == 1


def test_an_action_can_name_its_cause_and_be_backdated_then_replays_what_fell_due(sim):
    _running(sim)
    sim.clock.advance(20)
    _act(sim, "finish", {"linger": True}, at=T0 + 5, cause="upstream finished")
    build = _read(sim)
    assert [(h.state, h.at - T0, h.cause) for h in build.history] == [
        ("RUNNING", 0, "created"), ("LINGERING", 5, "upstream finished"), ("DONE", 15, "timer")]


def test_a_backdated_action_never_lands_in_the_future(sim):
    _running(sim)
    _act(sim, "finish", at=T0 + 50)
    assert _read(sim).history[-1].at == T0


# --- tables that cannot work are refused when declared ------------------------------------------------

def test_a_guarded_rule_needs_a_plain_default():
    with pytest.raises(ValueError, match="default"):
        Lifecycle(vendor="toy", kind="x", states=("A", "B"), initial="A",
                  actions={"go": {"A": (When(_locked, Move("B")),), "B": Ignore()}})


def test_a_timer_takes_a_duration_or_a_due_function_not_both():
    with pytest.raises(ValueError, match="not both"):
        Timed("B", 1.0, due=_deadline)


def test_a_timer_without_a_duration_is_armed_only_where_timing_gives_one():
    failing = Lifecycle(vendor="toy", kind="run", states=("UP", "DOWN"), initial="UP",
                        timed={"UP": Timed("DOWN", None)})
    simulation = Simulation({"toy": Toy((failing,))})
    simulation.clock.configure(frozen=True, now=T0)
    with simulation.transaction() as tx:
        assert tx.create("toy", "run", "quiet").due_at is None
        assert tx.create("toy", "run", "fails", timing={"UP": 4.0}).due_at == T0 + 4
    simulation.load(parse_scenario({"name": "t", "timing": {"toy.run": {"UP": "9s"}}}, simulation.vendors))
    with simulation.transaction() as tx:
        assert tx.create("toy", "run", "late").due_at == T0 + 9


def test_unknown_states_in_guards_and_effects_are_refused():
    with pytest.raises(ValueError, match="'C'"):
        Lifecycle(vendor="toy", kind="x", states=("A", "B"), initial="A",
                  actions={"go": {"A": (When(_locked, Move("C")), Ignore()), "B": Ignore()}})
    with pytest.raises(ValueError, match="effect target 'C'"):
        Lifecycle(vendor="toy", kind="x", states=("A", "B"), initial="A",
                  timed={"A": Timed("B", 1.0, effects={"C": _note("x")})})


def test_a_guarded_rule_has_no_outcome_without_the_resource():
    with pytest.raises(TypeError, match="guarded"):
        BUILD.outcome("finish", "RUNNING")
    assert BUILD.outcome("finish", "QUEUED") == Reject("not_started")
