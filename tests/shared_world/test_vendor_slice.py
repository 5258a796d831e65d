"""One world, two processes: existing behaviour tests of every vendor, of the control API and of the
engine, run unchanged against two `simulator serve --store redis://...` processes sharing one Redis.

Each test is imported from where it lives, so pytest collects it here with the fixtures below:
`client` looks like Flask's test client but sends every request over a socket through the
round-robin balancer, so consecutive requests of one test alternate between the two processes (a
resource created through one is advanced, read, stopped through the other). Each test has its own
namespace with a frozen clock, as the in-process `app` fixture gives it. Feldera's and TwelveLabs'
exchanges are still judged by the vendor's own OpenAPI spec, as in their packages.

Chosen per vendor: creation, actions, the lifecycle over the advanced clock, errors in the vendor's
envelope, scenario seeding and settings, and the vendors' own SDKs (TwelveLabs here, Feldera in
test_feldera_sdk_shared.py). For the engine and the control API: the clock, scenarios, resources,
32 concurrent stops over two processes, namespaces, callbacks, fault rules and the journal. Tests
that start a server of their own (`live_server_factory`) get a fresh pair behind a balancer.
Left out: tests that build their own app (create_app with a setting, app.config), reach into Python
objects, or test a pure function.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
import redis
import requests
import yaml

from tests.conftest import Control, LiveServer
from tests.engine.test_concurrency import test_32_connections_stopping_one_analysis_over_waitress  # noqa: F401
from tests.features.conftest import add_fault  # noqa: F401
from tests.features.test_callbacks import (  # noqa: F401
    test_a_stop_is_reported_as_complete,
    test_failed_deliveries_are_retried_on_the_virtual_clock,
    test_progress_and_complete_callbacks_arrive_when_advance_returns,
)
from tests.features.test_faults import (  # noqa: F401
    test_delete_one_rule_and_clear_all,
    test_faults_from_a_scenario_and_their_errors,
    test_first_n_calls_fail_then_succeed,
    test_nth_call_only,
    test_the_error_is_in_the_vendor_envelope_with_code_message_and_headers,
)

# (test_records_requests_and_responses_with_both_clocks is left out: it names the default namespace,
# and each test here runs in one of its own)
from tests.features.test_journal import test_filters_count_and_clear  # noqa: F401
from tests.features.test_namespaces import (  # noqa: F401
    test_a_malformed_namespace_header_is_400,
    test_faults_and_journal_belong_to_their_namespace,
    test_two_namespaces_run_the_same_ids_side_by_side,
)
from tests.test_control import (  # noqa: F401
    test_advance_makes_due_transitions_happen,
    test_bad_scenario_is_400_with_every_error,
    test_clock_get_advance_and_put,
    test_clock_rejects_bad_bodies,
    test_health,
    test_load_scenario_as_yaml_and_as_json,
    test_resources_list_filters_and_unknown_resource_is_404,
)
from tests.vendors.feldera.conftest import Feldera
from tests.vendors.feldera.test_endpoints import (  # noqa: F401
    test_config_reports_edition_and_version,
    test_create_returns_201_with_the_full_object,
    test_delete_rules,
    test_duplicate_name_409,
    test_name_rules,
    test_patch_renames_and_keeps_the_rest,
    test_put_creates_201_then_replaces_200,
    test_selectors_limit_the_fields,
    test_unknown_pipeline_404,
)
from tests.vendors.feldera.test_lifecycle import (  # noqa: F401
    test_checkpoint_approve_and_activate,
    test_clear_storage,
    test_compilation_failure_from_a_scenario,
    test_compilation_steps,
    test_failures_go_through_stopping_with_an_error,
    test_force_stop_deprovisions,
    test_graceful_stop_checkpoints_then_stops,
    test_pause_and_resume,
    test_pause_before_provisioned_is_503_with_retry_after,
    test_seeded_default_scenario_pipelines,
    test_start_deploys_through_the_phases_with_since_timestamps,
    test_start_while_compiling_waits_for_the_program,
    test_start_while_stopping_is_illegal,
)
from tests.vendors.feldera.test_server_semantics import (  # noqa: F401
    test_a_failure_rule_fires_n_times_then_the_step_succeeds,
    test_refresh_version_follows_program_and_deployment_status,
)
from tests.vendors.feldera.test_settings import (  # noqa: F401
    test_auth_with_listed_keys,
    test_suspending_scenario_legacy_generation,
)
from tests.vendors.feldera.test_validation import (  # noqa: F401
    test_fault_tolerance_is_an_enterprise_feature,
    test_post_with_a_bad_program_config_creates_nothing,
)
from tests.vendors.hiveon.conftest import Hiveon
from tests.vendors.hiveon.test_auth import (  # noqa: F401
    seeded,
    test_a_key_without_the_role_is_403_and_nothing_changes,
    test_a_missing_or_unknown_key_is_401_and_nothing_changes,
)
from tests.vendors.hiveon.test_errors import (  # noqa: F401
    test_a_wrong_method_is_405_with_the_allow_header,
    test_an_unknown_route_under_the_prefix_is_404_in_the_envelope,
    test_the_legacy_error_shape_is_a_setting,
    test_validation_errors_list_every_field_violation,
)
from tests.vendors.hiveon.test_failures import (  # noqa: F401
    test_a_failure_from_running_after_a_set_time_with_its_own_reason,
    test_a_named_bad_image_fails_from_pending_with_the_default_reason,
    test_a_scenario_seeds_a_running_deployment_that_fails_later,
    test_a_stop_before_the_failure_wins,
)
from tests.vendors.hiveon.test_get import (  # noqa: F401
    test_an_unknown_id_is_404_not_found,
    test_get_by_deployment_id_and_by_external_id_give_the_same_object,
    test_no_secret_of_the_start_call_is_stored_or_shown,
)
from tests.vendors.hiveon.test_scenarios import (  # noqa: F401
    test_hiveon_failed,
    test_hiveon_stopping,
    test_the_default_scenario_has_a_catalogue_and_a_deployment_in_each_state,
)
from tests.vendors.hiveon.test_start import (  # noqa: F401
    test_a_duplicate_external_id_is_400_and_the_first_deployment_keeps_it,
    test_an_external_id_stays_taken_after_its_deployment_stopped,
    test_each_broken_rule_is_400_invalid_argument_and_creates_nothing,
    test_start_answers_a_uuid_and_the_deployment_is_pending_then_running,
    test_the_catalogue_is_visible_in_the_control_api,
    test_the_pending_duration_is_settable_by_scenario,
    test_with_a_catalogue_an_unknown_machine_or_price_is_404,
)
from tests.vendors.hiveon.test_stop import (  # noqa: F401
    test_a_second_stop_while_stopping_is_200_and_changes_nothing,
    test_a_stop_on_a_failed_deployment_is_400_failed_precondition,
    test_a_stop_on_an_unknown_deployment_is_404,
    test_a_stop_while_pending_cancels_the_start,
    test_an_invalid_body_is_400_even_for_a_running_deployment,
    test_stop_moves_pending_or_running_to_stopping_then_stopped,
    test_the_stopping_duration_is_settable,
)
from tests.vendors.sparrow.conftest import Sparrow
from tests.vendors.sparrow.test_analyses import (  # noqa: F401
    test_create_returns_one_analysis_in_init,
    test_create_without_key_is_401,
    test_get_request_shows_each_analysis_current_status,
    test_get_unknown_analysis_is_400,
    test_ids_come_from_separate_increasing_counters,
    test_invalid_create_body_is_400_invalid_parameter_and_creates_nothing,
    test_lifecycle_runs_on_the_virtual_clock_with_growing_issue_counts,
    test_misspelled_request_key_is_a_setting,
    test_non_json_body_is_400_invalid_parameter,
    test_result_of_a_stopped_or_failed_analysis_is_400,
    test_result_zip_only_for_complete_success,
    test_shipped_init_stop_scenario,
    test_shipped_post_process_scenario,
    test_unknown_route_and_wrong_method_answer_in_the_envelope,
)
from tests.vendors.sparrow.test_live_server import test_stop_rules_against_the_default_scenario  # noqa: F401
from tests.vendors.sparrow.test_stop_rules import (  # noqa: F401
    test_stop_during_init_is_deferred_to_the_allocation_moment,
    test_stop_during_post_process_is_accepted_but_the_analysis_completes,
    test_stop_in_a_terminal_state_is_400_with_its_result_code,
    test_stop_of_an_unknown_or_malformed_id_is_400_never_404,
    test_stop_while_running_stops_at_once,
    test_stop_without_a_bearer_key_is_401_and_changes_nothing,
    test_with_keys_in_the_scenario_only_those_keys_are_accepted,
)
from tests.vendors.twelvelabs.test_cancel_delete import (  # noqa: F401
    test_cancel_in_a_final_state_is_a_409_naming_it,
    test_cancel_while_pending_cancels_every_item_at_once,
    test_cancel_while_processing_lets_items_in_flight_finish,
    test_delete_needs_a_final_state_then_the_batch_is_gone,
    test_unknown_and_malformed_ids_are_404,
)
from tests.vendors.twelvelabs.test_create import (  # noqa: F401
    test_a_sixth_active_batch_is_refused_until_one_finishes,
    test_api_key_is_required_and_checked_against_the_scenario_keys,
    test_asset_rules_from_the_scenario,
    test_create_answers_201_with_the_smaller_shape_and_every_item_queued,
    test_create_error_setting_answers_503_or_504_and_creates_nothing,
    test_invalid_bodies_answer_400_and_create_nothing,
)
from tests.vendors.twelvelabs.test_expiry import (  # noqa: F401
    test_batches_vanish_thirty_days_after_creation,
    test_unfinished_items_are_canceled_and_the_batch_expires_at_expires_at,
)
from tests.vendors.twelvelabs.test_items import (  # noqa: F401
    test_item_rules_choose_which_items_fail_and_how_long_they_take,
    test_items_run_a_few_at_a_time_and_the_batch_status_follows,
    test_results_lines_carry_data_or_error_by_status,
)
from tests.vendors.twelvelabs.test_list import (  # noqa: F401
    five,
    test_filters_by_status_and_analysis_mode,
    test_newest_first_in_pages_and_past_the_end,
)
from tests.vendors.twelvelabs.test_scenarios import (  # noqa: F401
    test_a_seeded_running_batch_leaves_its_state_when_its_time_is_up,
    test_the_canceling_scenario,
    test_the_default_scenario_has_a_batch_in_every_status,
)
from tests.vendors.twelvelabs.test_sdk import (  # noqa: F401
    sim,
    test_cancel_delete_and_typed_errors,
    test_create_retrieve_results_through_completion,
    test_list_pager_iterates_to_the_end,
)
from tests.vendors.twelvelabs.test_webhooks import test_completion_webhook_is_delivered_and_recorded  # noqa: F401
from tests.vendors.wrappers.test_auth import (  # noqa: F401
    test_a_reader_may_not_write,
    test_a_reader_may_read,
    test_code_auth_failures,
    test_without_a_token_table_any_bearer_token_is_an_admin,
)
from tests.vendors.wrappers.test_endpoints import (  # noqa: F401
    test_a_backend_outage_is_503,
    test_generate_validation_points_into_the_body,
    test_get_unknown_wrapper_is_404,
    test_list_pages_in_insertion_order,
    test_scenario_files_put_wrappers_where_they_say,
    test_the_wrapper_object_has_every_field_and_no_secret,
    test_upload_get_and_delete_a_file,
    test_upload_refusals,
)
from tests.vendors.wrappers.test_lifecycle import (  # noqa: F401
    test_a_file_wrapper_completes_after_its_one_shot_run,
    test_an_api_wrapper_gets_a_batch_every_tick_and_goes_continuous,
    test_code_a_crashing_process_is_retried_three_times_then_error,
    test_docs_stop_before_the_process_starts_is_remembered,
    test_generate_answers_pending_and_the_wrapper_moves_on_with_the_clock,
    test_generation_failure_ends_in_error,
)
from tests.vendors.wrappers.test_scenarios import (  # noqa: F401
    test_api_running_streams_with_water_marks,
    test_default_scenario_has_wrappers_in_several_states,
)
from tests.vendors.wrappers.test_stop_execute import (  # noqa: F401
    test_execute_after_stop_restarts_and_the_water_marks_carry_on,
    test_resource_deletion_stops_the_wrapper,
    test_stop_ends_the_live_process_and_keeps_the_checkpoint,
    test_stop_is_idempotent,
    test_stop_without_a_live_process_changes_nothing,
)

from .over_http import NAMESPACE, HttpClient, World, start_world
from .redis_server import RedisServer

JUDGED_BY_THE_VENDOR_SPEC = ("tests.vendors.feldera.", "tests.vendors.twelvelabs.")


@pytest.fixture(scope="module")
def world(redis_server: RedisServer) -> Iterator[World]:
    """Started once for the module: its tests keep apart by namespace, not by restarting processes.
    (pytest ends a module's fixtures before another module's test runs, so nothing flushes the
    session's Redis under it.)"""
    redis.Redis(port=redis_server.port).flushall()
    shared = start_world(redis_server.url)
    yield shared
    shared.close()


_namespaces = itertools.count(1)


@pytest.fixture
def client(world: World) -> Iterator[HttpClient]:
    """A fresh namespace with a frozen clock: time moves only when the test advances it."""
    namespace = f"slice-{next(_namespaces)}"
    http = HttpClient(world.balancer.url, namespace)
    frozen = http.put("/_simulator/clock", json={"frozen": True})
    assert frozen.status_code == 200 and frozen.get_json()["frozen"] is True, frozen.get_data(as_text=True)
    yield http
    dropped = requests.delete(f"{world.url}/_simulator/namespaces/{namespace}", timeout=30)
    assert dropped.status_code == 204, dropped.text
    for other in http.namespaces_named:  # team-a, team-b...: the next test naming them starts afresh
        for server in world.servers:  # rules and journal a process may still keep to itself
            for kept in ("faults", "requests"):
                requests.delete(f"{server.url}/_simulator/{kept}", headers={NAMESPACE: other}, timeout=30)
        dropped = requests.delete(f"{world.url}/_simulator/namespaces/{other}", timeout=30)
        assert dropped.status_code in (204, 404), dropped.text


@pytest.fixture
def app():
    raise AssertionError("no in-process app here: this test reaches into Python objects; leave it out of the slice")


@pytest.fixture
def control(client: HttpClient) -> Control:
    return Control(client)


@pytest.fixture
def sparrow(client, control) -> Sparrow:
    return Sparrow(client, control)


@pytest.fixture
def hiveon(client, control) -> Hiveon:
    return Hiveon(client, control)


@pytest.fixture
def feldera(client, control) -> Feldera:
    return Feldera(client, control)


@pytest.fixture(autouse=True)
def _vendor_spec_oracle(request: pytest.FixtureRequest) -> None:
    """As tests/vendors/{feldera,twelvelabs}/conftest.py: their exchanges answer to the vendor's spec
    (Feldera's legacy API generation to the legacy spec)."""
    if not request.function.__module__.startswith(JUDGED_BY_THE_VENDOR_SPEC):
        return
    http: HttpClient = request.getfixturevalue("client")
    http.ledger = request.getfixturevalue("vendor_spec")

    def spec_of(vendor: str) -> str:
        return "feldera-legacy" if vendor == "feldera" and _api_generation(http) == "legacy" else vendor

    http.spec_of = spec_of


def _api_generation(http: HttpClient) -> str:
    """Feldera's API generation as the scenarios this test loaded set it. Worked out from what was
    sent rather than asked of a process: a question would bring that process up to date, and so
    change what the test sees."""
    generation = "current"
    for method, path, body in http.sent:
        if (method, path) == ("POST", "/_simulator/reset"):
            generation = "current"
        elif (method, path) == ("POST", "/_simulator/scenarios"):
            try:
                loaded = yaml.safe_load(body)
            except yaml.YAMLError:
                continue  # refused: it set nothing
            feldera = loaded.get("settings", {}).get("feldera", {}) if isinstance(loaded, dict) else {}
            generation = feldera.get("api_generation", generation) if isinstance(feldera, dict) else generation
    return generation


@pytest.fixture
def live_server_factory(world: World) -> Iterator:
    """For the engine's own over-the-socket tests: a fresh pair started with the test's arguments on
    another (flushed) database of the module's Redis; the test talks to it through its balancer."""
    started: list[World] = []

    def factory(*args: str) -> LiveServer:
        store = world.store.rsplit("/", 1)[0] + "/1"
        redis.Redis.from_url(store).flushdb()
        pair = start_world(store, *args)
        started.append(pair)
        return LiveServer(pair.servers[0].process, pair.balancer.url)

    yield factory
    for pair in started:
        pair.close()
