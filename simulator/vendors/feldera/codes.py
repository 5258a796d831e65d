"""Feldera's error codes, in one table, and its envelope: {"message", "error_code", "details"}
(reference sections 3, 4 and 6).

Keys are the server's own `error_code` strings (one variant, LegacyIllegalPipelineAction, shows
IllegalPipelineAction). Messages are the server's texts where the reference or the server gives
them; the few marked INFERRED are the simulator's wording. `details` is given by whoever raises the
error (kit.errors.VendorError).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...kit.codes import ErrorCode
from ...kit.envelope import NOT_JSON, Envelope
from ...kit.messages import first_message

CODES: dict[str, ErrorCode] = {
    "UnknownPipelineName": ErrorCode(404, "UnknownPipelineName", "Unknown pipeline name '{pipeline_name}'"),
    "DuplicateName": ErrorCode(409, "DuplicateName", "An entity with this name already exists"),
    "EmptyName": ErrorCode(400, "EmptyName", "Name cannot be be empty"),  # sic, the server's text
    "TooLongName": ErrorCode(
        400, "TooLongName",
        "Name '{pipeline_name}' is longer ({length}) than maximum allowed ({maximum})"),
    "NameDoesNotMatchPattern": ErrorCode(
        400, "NameDoesNotMatchPattern",
        "Name '{pipeline_name}' contains characters which are not lowercase (a-z), uppercase (A-Z), numbers (0-9), "
        "underscores (_) or hyphens (-)"),
    "InvalidTag": ErrorCode(400, "InvalidTag", "Tag '{tag}' is invalid: {reason}"),
    "TooManyTags": ErrorCode(
        400, "TooManyTags",
        "Pipeline has more tags ({count}) than the maximum allowed ({maximum})"),
    "TooLongDescription": ErrorCode(
        400, "TooLongDescription",
        "Description is longer ({length}) than maximum allowed ({maximum})"),
    # The server prints the rejected JSON, then serde's reason; serde names no field, so the
    # `runtime_config.<field>: ` prefix of the reason is INFERRED (the simulator names the field).
    "InvalidRuntimeConfig": ErrorCode(
        400, "InvalidRuntimeConfig",
        "JSON for 'runtime_config' field:\n{value}\n\n... is not valid due to: {error}"),
    "InvalidProgramConfig": ErrorCode(
        400, "InvalidProgramConfig",
        "JSON for 'program_config' field:\n{value}\n\n... is not valid due to: {error}"),
    "UpdateRestrictedToStopped": ErrorCode(
        400, "UpdateRestrictedToStopped",
        "Pipeline can only be updated while stopped. Stop it first by invoking '/stop'."),
    "CannotRenameNonExistingPipeline": ErrorCode(
        400, "CannotRenameNonExistingPipeline",
        "The pipeline name in the request body does not match the one provided in the URL path. This is not "
        "allowed when no pipeline with the name provided in the URL path exists."),
    "EditRestrictedToClearedStorage": ErrorCode(
        400, "EditRestrictedToClearedStorage",
        "The following pipeline edits are not allowed while storage is not cleared: {fields}"),
    "DeleteRestrictedToFullyStopped": ErrorCode(
        400, "DeleteRestrictedToFullyStopped",
        "Cannot delete a pipeline which is not fully stopped. Stop the pipeline first fully by invoking the "
        "'/stop' endpoint."),
    "DeleteRestrictedToClearedStorage": ErrorCode(
        400, "DeleteRestrictedToClearedStorage",
        "Cannot delete pipeline unless its storage is cleared. Clear storage first using `/clear`."),
    "IllegalPipelineAction": ErrorCode(
        400, "IllegalPipelineAction",
        "Deployment resources status (current: '{status}', desired: '{current_desired_status}') cannot have "
        "desired changed to '{new_desired_status}'. {hint}"),
    "LegacyIllegalPipelineAction": ErrorCode(
        400, "IllegalPipelineAction",
        "Deployment status (current: '{pipeline_status}', desired: '{current_desired_status}') cannot have "
        "desired changed to '{new_desired_status}'. {hint}"),
    "CannotStartWithUndismissedError": ErrorCode(
        400, "CannotStartWithUndismissedError",
        "Cannot process `/start?dismiss_error=false` if the `deployment_error` is set. You can dismiss the "
        "error by calling `/start?dismiss_error=true`, or alternatively first call `/dismiss_error`, after "
        "which `/start?dismiss_error=false` is again possible."),
    "CannotStartWhileClearingStorage": ErrorCode(
        400, "CannotStartWhileClearingStorage",
        "Cannot process `/start` if the `storage_status` is `Clearing`. Wait for the storage to become "
        "cleared before trying again."),
    "CannotStartWithCompilationError": ErrorCode(
        400, "CannotStartWithCompilationError",
        "Cannot process `/start` if the `program_status` is `SqlError`, `RustError` or `SystemError`. Make "
        "changes to fix the error, which will trigger recompilation."),
    "DismissErrorRestrictedToFullyStopped": ErrorCode(
        400, "DismissErrorRestrictedToFullyStopped",
        "The pipeline must have both status `Stopped` and desired status `Stopped` to dismiss the "
        "`deployment_error` if it is set."),
    "InitialImmutableUnlessStopped": ErrorCode(
        400, "InitialImmutableUnlessStopped",
        "Initial desired runtime status cannot be changed unless the pipeline is desired to become Stopped."),
    "BootstrapPolicyImmutableUnlessStopped": ErrorCode(
        400, "BootstrapPolicyImmutableUnlessStopped",
        "Bootstrap policy cannot be changed unless the pipeline is desired to become Stopped."),
    "InitialStandbyNotAllowed": ErrorCode(
        400, "InitialStandbyNotAllowed",
        "Initial desired runtime status can only be set to Standby if: (1) "
        "`runtime_config.storage.backend.name` is set to `file`, and (2) "
        "`runtime_config.storage.backend.config.sync` is configured."),
    "StorageStatusImmutableUnlessStopped": ErrorCode(
        400, "StorageStatusImmutableUnlessStopped",
        "Cannot transition storage status from '{current_status}' to '{new_status}' with resources status "
        "'{resources_status}' and desired status '{resources_desired_status}'. Storage status cannot be "
        "changed unless the pipeline is fully stopped."),
    "InvalidBootstrapConfig": ErrorCode(
        400, "InvalidBootstrapConfig",
        "Invalid bootstrap configuration: {reason}"),  # INFERRED text
    "InvalidTransition": ErrorCode(  # INFERRED text: the runtime's own refusal
        400, "InvalidTransition",
        "The pipeline cannot transition from '{current}' to '{requested}'."),
    "UnsupportedPipelineAction": ErrorCode(
        405, "UnsupportedPipelineAction",
        "Unsupported pipeline action '{action}': {reason}"),
    "EnterpriseFeature": ErrorCode(  # INFERRED exact wording
        501, "EnterpriseFeature",
        "The enterprise-only feature '{feature}' can't be used in the Feldera community edition."),
    "PipelineInteractionNotDeployed": ErrorCode(
        503, "PipelineInteractionNotDeployed",
        "Unable to interact with pipeline because the deployment status ({status_lower}) indicates it is not "
        "(yet) fully provisioned pipeline-id={pipeline_id} pipeline-name=\"{pipeline_name}\""),
    "PipelineUnavailable": ErrorCode(  # INFERRED text, modelled on PipelineInteractionUnreachable
        503, "PipelineUnavailable",
        "Error sending HTTP request to pipeline: deployment status is currently 'unavailable' -- wait for it "
        "to become 'running' or 'paused' again pipeline-name=\"{pipeline_name}\""),
    # The pipeline's own answers to forwarded requests (server source: adapters/src/server/error.rs).
    "Initializing": ErrorCode(
        503, "Initializing",
        "Operation failed because the pipeline has not finished initializing."),
    "AwaitingApproval": ErrorCode(
        503, "AwaitingApproval",
        "Operation failed: the pipeline is waiting for approval to bootstrap modified components."),
    "Suspended": ErrorCode(503, "Suspended", "Operation failed because the pipeline has been suspended."),
    "IncarnationUuidMismatch": ErrorCode(
        400, "IncarnationUuidMismatch",
        "Incarnation UUID mismatch ({requested} in request, expected {expected})"),
    "AuthenticationFailed": ErrorCode(401, "AuthenticationFailed", "{reason}"),
    # Generic HTTP errors under /v0 (INFERRED codes: the real server answers these from actix).
    "BadRequest": ErrorCode(400, "BadRequest", "{reason}"),
    "NotFound": ErrorCode(404, "NotFound", "The requested endpoint does not exist."),
    "MethodNotAllowed": ErrorCode(405, "MethodNotAllowed", "The method is not allowed on this endpoint."),
    "PayloadTooLarge": ErrorCode(413, "PayloadTooLarge", "The request body is too large."),
    # INFERRED: a create beyond --max-resources. 400 like the manager's other refusals (its SDK
    # retries 429 and 503, which would only delay a refusal that lasts until pipelines are deleted).
    "ResourceLimitReached": ErrorCode(
        400, "ResourceLimitReached",
        "Cannot create the pipeline: the limit of {limit} resources is reached."),
    "InternalError": ErrorCode(500, "InternalError", "Unexpected error."),
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


def error_body(name: str, details: Any = None, **params: Any) -> dict[str, Any]:
    """The envelope of a row, as the server also stores it (a pipeline's `deployment_error`)."""
    row = CODES[name]
    return {"message": row.text(**params), "error_code": row.code, "details": details}


class FelderaErrors(Envelope):
    vendor = "feldera"
    codes = CODES
    http_codes = {404: "NotFound", 405: "MethodNotAllowed", 413: "PayloadTooLarge", 500: "InternalError"}
    invalid_code = "BadRequest"

    def body(self, status: int, code: Any, message: str, details: Any, settings: Mapping[str, Any]) -> Any:
        if code == "AuthenticationFailed":  # the server's 401 body has no `details` key (reference 2)
            return {"message": message, "error_code": code}
        return {"message": message, "error_code": code, "details": details}

    def headers_for(self, status: int) -> Mapping[str, str]:
        return RETRY_AFTER_503 if status == 503 else {}

    def invalid(self, messages: Mapping[str, Any]) -> Any:
        """A body or query that fails validation: the first problem, and all of them as details."""
        reason = first_message(messages) if messages else NOT_JSON
        return self.response(400, "BadRequest", reason, details=messages or None)


ERRORS = FelderaErrors()
