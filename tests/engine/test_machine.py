"""Lazy replay of lifecycle tables, on a toy vendor so the engine is tested apart from any vendor."""
import pytest

from simulator.engine import Defer, Ignore, Lifecycle, LifecycleError, Move, Reject, Simulation, Timed
from simulator.engine.scenario import parse_scenario

from .toy import Toy

JOB = Lifecycle(
    vendor="toy",
    kind="job",
    states=("QUEUED", "RUNNING", "FINISHING", "DONE", "CANCELLED", "FAILED"),
    initial="QUEUED",
    timed={
        "QUEUED": Timed("RUNNING", 2.0, redirects={"cancel": "CANCELLED"}),
        "RUNNING": Timed("FINISHING", 5.0),
        "FINISHING": Timed("DONE", 1.0),
    },
    actions={
        "cancel": {
            "QUEUED": Defer("cancel"),
            "RUNNING": Move("CANCELLED"),
            "FINISHING": Ignore(),
            "DONE": Reject("already_done"),
            "CANCELLED": Reject("already_cancelled"),
            "FAILED": Reject("already_failed"),
        }
    },
)


@pytest.fixture
def sim():
    simulation = Simulation({"toy": Toy((JOB,))})
    simulation.clock.configure(frozen=True, now=1_000_000)
    return simulation


def _create(sim, id="1", **kwargs):
    with sim.transaction() as tx:
        return tx.create("toy", "job", id, **kwargs)


def _read(sim, id="1"):
    with sim.transaction() as tx:
        return tx.get("toy", "job", id)


def test_one_read_replays_several_transitions_each_at_its_due_time(sim):
    _create(sim)
    sim.clock.advance(100)
    job = _read(sim)
    assert job.state == "DONE"
    assert [(h.state, h.at - 1_000_000, h.cause) for h in job.history] == [
        ("QUEUED", 0, "created"), ("RUNNING", 2, "timer"), ("FINISHING", 7, "timer"), ("DONE", 8, "timer"),
    ]
    assert job.due_at is None


def test_nothing_moves_before_it_is_due(sim):
    _create(sim)
    sim.clock.advance(1.999)
    assert _read(sim).state == "QUEUED"
    sim.clock.advance(0.001)
    assert _read(sim).state == "RUNNING"


def test_deferred_action_redirects_the_timer_and_never_shows_the_normal_next_state(sim):
    _create(sim)
    with sim.transaction() as tx:
        job = tx.get("toy", "job", "1")
        assert isinstance(tx.act(job, "cancel"), Defer)
        assert job.state == "QUEUED" and "cancel" in job.pending
        assert tx.next_due(job)["state"] == "CANCELLED"
    sim.clock.advance(10)
    job = _read(sim)
    assert job.state == "CANCELLED"
    assert [h.state for h in job.history] == ["QUEUED", "CANCELLED"]
    assert job.pending == {}


def test_move_ignore_and_reject(sim):
    _create(sim)
    sim.clock.advance(3)
    with sim.transaction() as tx:
        job = tx.get("toy", "job", "1")
        tx.act(job, "cancel")
        assert job.state == "CANCELLED" and job.history[-1].cause == "action:cancel"
        with pytest.raises(LifecycleError) as refused:
            tx.act(job, "cancel")
        assert refused.value.error == "already_cancelled"


def test_ignore_changes_nothing(sim):
    _create(sim, state="FINISHING")
    with sim.transaction() as tx:
        job = tx.get("toy", "job", "1")
        assert isinstance(tx.act(job, "cancel"), Ignore)
    sim.clock.advance(1)
    assert _read(sim).state == "DONE"


def test_remaining_time_and_per_resource_overrides(sim):
    _create(sim, state="RUNNING", remaining=0.5)
    _create(sim, id="2", timing={"QUEUED": 30})
    _create(sim, id="3", route={"RUNNING": "FAILED"})
    sim.clock.advance(0.5)
    assert _read(sim).state == "FINISHING"
    sim.clock.advance(20)
    assert _read(sim, "2").state == "QUEUED"
    assert _read(sim, "3").state == "FAILED"


def test_scenario_timing_overrides_the_default(sim):
    sim.load(parse_scenario({"name": "slow", "timing": {"toy.job": {"QUEUED": "1m"}}}, sim.vendors))
    _create(sim)
    sim.clock.advance(59)
    assert _read(sim).state == "QUEUED"
    sim.clock.advance(1)
    assert _read(sim).state == "RUNNING"


def test_a_lifecycle_naming_unknown_states_is_refused():
    with pytest.raises(ValueError, match="unknown"):
        Lifecycle(vendor="toy", kind="bad", states=("A",), initial="A", timed={"A": Timed("B", 1)})
