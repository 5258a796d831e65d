"""The Redis store: several simulator processes share one world (`simulator serve --store redis://...`)."""
