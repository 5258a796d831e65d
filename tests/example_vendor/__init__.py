"""An example vendor built only from the kit (docs/adding-a-vendor.md)."""
