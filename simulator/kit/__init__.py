"""The kit every vendor package is built from (docs/adding-a-vendor.md).

- `vendor.Vendor`: the declaration a package's `__init__.py` exports as `VENDOR`;
- `schema`: `StrictSchema` and fields as strict as JSON Schema, for requests, settings and fields;
- `codes.ErrorCode`: one row of a vendor's error-code table;
- `errors.VendorError`: what a model raises to refuse; the app answers it in the vendor's envelope;
- `envelope.Envelope`: the vendor's error answers; a vendor supplies only its body shape;
- `docs.ErrorDocs`: documents an operation's error statuses on its flask-smorest blueprint;
- `messages`: one walk over marshmallow/webargs validation messages;
- secrets are masked by `simulator.engine.secrets` (one masker for answers, journal and export).

Modules are imported by name (`from simulator.kit.schema import StrictSchema`): the engine uses
`kit.schema` without pulling in Flask.
"""
