"""Feldera's errors and success bodies, in one place (reference sections 3, 4 and 6).

Messages are the server's own texts where the reference or the server gives them; the few marked
INFERRED are the simulator's wording. `details` is built by whoever raises the error.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    status: int
    message: str  # str.format template over the error's parameters


CODES: dict[str, Code] = {
    "UnknownPipelineName": Code(404, "Unknown pipeline name '{pipeline_name}'"),
    "DuplicateName": Code(409, "An entity with this name already exists"),
    "EmptyName": Code(400, "Name cannot be be empty"),  # sic, the server's text
    "TooLongName": Code(400, "Name '{name}' is longer ({length}) than maximum allowed ({maximum})"),
    "NameDoesNotMatchPattern": Code(
        400, "Name '{name}' contains characters which are not lowercase (a-z), uppercase (A-Z), numbers (0-9), "
             "underscores (_) or hyphens (-)"),
    "InvalidTag": Code(400, "Tag '{tag}' is invalid: {reason}"),
    "TooManyTags": Code(400, "Pipeline has more tags ({count}) than the maximum allowed ({maximum})"),
    "TooLongDescription": Code(400, "Description is longer ({length}) than maximum allowed ({maximum})"),
    # The server prints the rejected JSON, then serde's reason; serde names no field, so the
    # `runtime_config.<field>: ` prefix of the reason is INFERRED (the simulator names the field).
    "InvalidRuntimeConfig": Code(400, "JSON for 'runtime_config' field:\n{value}\n\n... is not valid due to: {error}"),
    "InvalidProgramConfig": Code(400, "JSON for 'program_config' field:\n{value}\n\n... is not valid due to: {error}"),
    "UpdateRestrictedToStopped": Code(
        400, "Pipeline can only be updated while stopped. Stop it first by invoking '/stop'."),
    "CannotRenameNonExistingPipeline": Code(
        400, "The pipeline name in the request body does not match the one provided in the URL path. This is not "
             "allowed when no pipeline with the name provided in the URL path exists."),
    "EditRestrictedToClearedStorage": Code(
        400, "The following pipeline edits are not allowed while storage is not cleared: {fields}"),
    "DeleteRestrictedToFullyStopped": Code(
        400, "Cannot delete a pipeline which is not fully stopped. Stop the pipeline first fully by invoking the "
             "'/stop' endpoint."),
    "DeleteRestrictedToClearedStorage": Code(
        400, "Cannot delete pipeline unless its storage is cleared. Clear storage first using `/clear`."),
    "IllegalPipelineAction": Code(
        400, "Deployment resources status (current: '{status}', desired: '{current_desired_status}') cannot have "
             "desired changed to '{new_desired_status}'. {hint}"),
    "LegacyIllegalPipelineAction": Code(
        400, "Deployment status (current: '{pipeline_status}', desired: '{current_desired_status}') cannot have "
             "desired changed to '{new_desired_status}'. {hint}"),
    "CannotStartWithUndismissedError": Code(
        400, "Cannot process `/start?dismiss_error=false` if the `deployment_error` is set. You can dismiss the "
             "error by calling `/start?dismiss_error=true`, or alternatively first call `/dismiss_error`, after "
             "which `/start?dismiss_error=false` is again possible."),
    "CannotStartWhileClearingStorage": Code(
        400, "Cannot process `/start` if the `storage_status` is `Clearing`. Wait for the storage to become "
             "cleared before trying again."),
    "CannotStartWithCompilationError": Code(
        400, "Cannot process `/start` if the `program_status` is `SqlError`, `RustError` or `SystemError`. Make "
             "changes to fix the error, which will trigger recompilation."),
    "DismissErrorRestrictedToFullyStopped": Code(
        400, "The pipeline must have both status `Stopped` and desired status `Stopped` to dismiss the "
             "`deployment_error` if it is set."),
    "InitialImmutableUnlessStopped": Code(
        400, "Initial desired runtime status cannot be changed unless the pipeline is desired to become Stopped."),
    "BootstrapPolicyImmutableUnlessStopped": Code(
        400, "Bootstrap policy cannot be changed unless the pipeline is desired to become Stopped."),
    "InitialStandbyNotAllowed": Code(
        400, "Initial desired runtime status can only be set to Standby if: (1) "
             "`runtime_config.storage.backend.name` is set to `file`, and (2) "
             "`runtime_config.storage.backend.config.sync` is configured."),
    "StorageStatusImmutableUnlessStopped": Code(
        400, "Cannot transition storage status from '{current_status}' to '{new_status}' with resources status "
             "'{resources_status}' and desired status '{resources_desired_status}'. Storage status cannot be "
             "changed unless the pipeline is fully stopped."),
    "InvalidBootstrapConfig": Code(400, "Invalid bootstrap configuration: {reason}"),  # INFERRED text
    "InvalidTransition": Code(  # INFERRED text: the runtime's own refusal
        400, "The pipeline cannot transition from '{current}' to '{requested}'."),
    "UnsupportedPipelineAction": Code(405, "Unsupported pipeline action '{action}': {reason}"),
    "EnterpriseFeature": Code(  # INFERRED exact wording
        501, "The enterprise-only feature '{feature}' can't be used in the Feldera community edition."),
    "PipelineInteractionNotDeployed": Code(
        503, "Unable to interact with pipeline because the deployment status ({status_lower}) indicates it is not "
             "(yet) fully provisioned pipeline-id={pipeline_id} pipeline-name=\"{pipeline_name}\""),
    "PipelineUnavailable": Code(  # INFERRED text, modelled on PipelineInteractionUnreachable
        503, "Error sending HTTP request to pipeline: deployment status is currently 'unavailable' -- wait for it "
             "to become 'running' or 'paused' again pipeline-name=\"{pipeline_name}\""),
    # The pipeline's own answers to forwarded requests (server source: adapters/src/server/error.rs).
    "Initializing": Code(503, "Operation failed because the pipeline has not finished initializing."),
    "AwaitingApproval": Code(
        503, "Operation failed: the pipeline is waiting for approval to bootstrap modified components."),
    "Suspended": Code(503, "Operation failed because the pipeline has been suspended."),
    "IncarnationUuidMismatch": Code(400, "Incarnation UUID mismatch ({requested} in request, expected {expected})"),
    "AuthenticationFailed": Code(401, "{reason}"),
    # Generic HTTP errors under /v0 (INFERRED codes: the real server answers these from actix).
    "BadRequest": Code(400, "{reason}"),
    "NotFound": Code(404, "The requested endpoint does not exist."),
    "MethodNotAllowed": Code(405, "The method is not allowed on this endpoint."),
    "PayloadTooLarge": Code(413, "The request body is too large."),
    # INFERRED: a create beyond --max-resources. 400 like the manager's other refusals (its SDK
    # retries 429 and 503, which would only delay a refusal that lasts until pipelines are deleted).
    "ResourceLimitReached": Code(400, "Cannot create the pipeline: the limit of {limit} resources is reached."),
    "InternalError": Code(500, "Unexpected error."),
}

# Every 503 from the manager carries this header (reference 3).
RETRY_AFTER_503 = {"Retry-After": "5"}

AUTH_REASONS = {  # INFERRED texts apart from the API-key one (reference 2)
    "bad_api_key": "Unauthorized API key",
    "bad_token": "Unauthorized JWT token",
    "missing": "Missing or malformed bearer token in the Authorization header",
}

HINTS = {  # IllegalPipelineAction hints by the phase that refuses the call
    "Stopping": "Cannot restart the pipeline while it is stopping. Wait until it is stopped before starting the "
                "pipeline again.",
    "Suspending": "Cannot restart the pipeline while it is suspending. Wait for it to stop before starting a new "
                  "instance of the pipeline.",  # legacy generation, INFERRED
    "NotSuspendable": "A pipeline can only be suspended while it is initializing, running, paused or unavailable.",
}

BODIES = {  # the verbatim JSON strings of successful lifecycle calls (reference 4)
    "start": "Pipeline is starting",
    "stop_force": "Pipeline is forcefully stopping",
    "stop_suspend": "Pipeline is suspending",
    "transition": "Pipeline transitioning from {old} to {new}",
    "clear": "Pipeline storage is being cleared",
    "dismiss_error": "Pipeline deployment error has been dismissed",
    "approve": "Bootstrap approved",
    "activate": "Pipeline is activating",  # INFERRED
}

# Client metadata limits (server source: pipeline-manager/src/db/types/utils.rs).
TAG_PATTERN = r"[a-zA-Z0-9 ._/|\\:=-]+"
MAX_TAG_LENGTH = 50
MAX_TAGS = 50
MAX_DESCRIPTION_LENGTH = 300
TAG_RULES = {  # the server's reasons, in the order it checks them
    "empty": "it cannot be empty",
    "too_long": "it is {length} characters long, but the maximum is {maximum}",
    "pattern": "it may contain only ASCII letters (a-z, A-Z), numbers (0-9), or one of space, '.', '_', '/', '|', "
               "'\\', ':', '=' and '-'",
}
# How a config fails, as the server's ValidationError variants (details.error) and their texts.
CONFIG_FAILURES = {
    "DeserializationFailed": "could not deserialize due to: {reason}",
    "EnterpriseFeature": "enterprise feature: {reason}",
    "InvalidPipelineEnv": "invalid pipeline environment: {reason}",
}
RESERVED_ENV_REASON = "the following environment variable(s) are reserved and cannot be overridden: {names}"

ENTERPRISE_FEATURES = {
    "stop": "stop?force=false",
    "checkpoint": "checkpoint",
    "activate": "start from object store (S3)",
}
