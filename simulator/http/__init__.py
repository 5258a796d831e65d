"""HTTP plumbing shared by every vendor: error responses, auth headers, strict fields, context."""
